print("qun")
