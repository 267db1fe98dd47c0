// Terminal column widths for mixed Chinese / Latin / emoji text.
//
// Width is computed per grapheme cluster (Swift `Character`): a cluster is as wide as its widest
// scalar, so a base letter plus combining marks is 1, a Hangul syllable spelled with conjoining
// jamo is 2, and an emoji ZWJ sequence is 2 (how modern terminals draw it). Two extra rules:
// an emoji-capable base followed by VARIATION SELECTOR-16 (U+FE0F) is 2, and a regional-indicator
// pair (a flag) is 2.

/// The number of terminal columns `s` occupies.
///
/// East Asian Wide / Fullwidth characters (CJK ideographs, kana, Hangul syllables, fullwidth
/// forms, CJK punctuation, emoji with emoji presentation) count 2; combining marks, zero-width
/// joiners and spaces, variation selectors and control characters count 0; everything else
/// (including halfwidth katakana such as "ｶ") counts 1.
public func displayWidth(_ s: String) -> Int {
    var total = 0
    for character in s {
        total += displayWidth(of: character)
    }
    return total
}

/// The number of terminal columns one grapheme cluster occupies (0, 1 or 2).
public func displayWidth(of character: Character) -> Int {
    let scalars = character.unicodeScalars
    var width = 0
    var regionalIndicators = 0
    var hasEmojiVariationSelector = false
    var firstVisible: Unicode.Scalar?
    for scalar in scalars {
        let w = scalarWidth(scalar)
        if w > 0, firstVisible == nil { firstVisible = scalar }
        width = max(width, w)
        if (0x1F1E6...0x1F1FF).contains(scalar.value) { regionalIndicators += 1 }
        if scalar.value == 0xFE0F { hasEmojiVariationSelector = true }
    }
    if width >= 2 { return 2 }
    if regionalIndicators >= 2 { return 2 }
    if hasEmojiVariationSelector, let base = firstVisible, base.properties.isEmoji { return 2 }
    return width
}

/// Cuts `s` so that it fits in `width` terminal columns. When anything is cut, the result ends
/// with "…" (counted as 1 column) and is at most `width` columns wide; a wide character that
/// would straddle the limit is dropped rather than split. `s` is returned unchanged when it
/// already fits; a `width` of 0 or less gives "".
public func truncate(_ s: String, toWidth width: Int) -> String {
    guard width > 0 else { return "" }
    if displayWidth(s) <= width { return s }
    let budget = width - 1  // one column for the ellipsis
    var result = ""
    var used = 0
    for character in s {
        let w = displayWidth(of: character)
        if used + w > budget { break }
        result.append(character)
        used += w
    }
    result.append("…")
    return result
}

/// Pads `s` with spaces to exactly `width` terminal columns: on the right (left-aligned text) by
/// default, on the left when `alignRight` is true. Text already `width` columns or wider is
/// returned unchanged (use `truncate(_:toWidth:)` first to cut it).
public func pad(_ s: String, toWidth width: Int, alignRight: Bool = false) -> String {
    let missing = width - displayWidth(s)
    guard missing > 0 else { return s }
    let spaces = String(repeating: " ", count: missing)
    return alignRight ? spaces + s : s + spaces
}

// MARK: - Scalar classification

/// Width of a single scalar, ignoring the context of its grapheme cluster.
func scalarWidth(_ scalar: Unicode.Scalar) -> Int {
    let v = scalar.value
    if isZeroWidth(scalar) { return 0 }
    if isWide(v) { return 2 }
    if scalar.properties.isEmojiPresentation, !(0x1F1E6...0x1F1FF).contains(v) { return 2 }
    return 1
}

private func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
    let v = scalar.value
    switch scalar.properties.generalCategory {
    case .control, .nonspacingMark, .enclosingMark, .format,
         .lineSeparator, .paragraphSeparator, .surrogate:
        return true
    default:
        break
    }
    switch v {
    case 0x200B,                 // ZERO WIDTH SPACE (Cf on some data versions, Zs on old ones)
         0x1160...0x11FF,        // Hangul Jamo medial vowels and final consonants (conjoining)
         0xD7B0...0xD7FF,        // Hangul Jamo Extended-B (conjoining)
         0xFE00...0xFE0F,        // variation selectors
         0xE0100...0xE01EF:      // variation selectors supplement
        return true
    default:
        return false
    }
}

/// East Asian Wide (W) and Fullwidth (F) blocks, plus the emoji blocks terminals draw two wide.
private func isWide(_ v: UInt32) -> Bool {
    switch v {
    case 0x1100...0x115F,        // Hangul Jamo initial consonants
         0x2329...0x232A,        // angle brackets
         0x2E80...0x303E,        // CJK radicals, Kangxi, ideographic description, CJK symbols & punctuation
         0x3041...0x33FF,        // Hiragana, Katakana, Bopomofo, Hangul compatibility jamo, Kanbun, enclosed CJK, CJK compatibility
         0x3400...0x4DBF,        // CJK Unified Ideographs Extension A
         0x4DC0...0x4DFF,        // Yijing hexagram symbols
         0x4E00...0x9FFF,        // CJK Unified Ideographs
         0xA000...0xA4CF,        // Yi syllables and radicals
         0xA960...0xA97F,        // Hangul Jamo Extended-A
         0xAC00...0xD7A3,        // Hangul syllables
         0xF900...0xFAFF,        // CJK Compatibility Ideographs
         0xFE10...0xFE19,        // vertical forms
         0xFE30...0xFE6F,        // CJK compatibility forms, small form variants
         0xFF00...0xFF60,        // fullwidth forms (halfwidth katakana FF61–FF9F stay narrow)
         0xFFE0...0xFFE6,        // fullwidth signs
         0x16FE0...0x16FFF,      // ideographic symbols and punctuation
         0x17000...0x18CFF,      // Tangut, Khitan
         0x18D00...0x18D8F,      // Tangut supplement
         0x1AFF0...0x1B2FF,      // Kana extended / supplement, Nushu
         0x1F004, 0x1F0CF, 0x1F18E,
         0x1F191...0x1F19A,      // squared latin abbreviations (🆑 … 🆚)
         0x1F200...0x1F2FF,      // enclosed ideographic supplement
         0x1F300...0x1F64F,      // misc symbols & pictographs, emoticons
         0x1F680...0x1F6FF,      // transport and map symbols
         0x1F7E0...0x1F7FF,      // geometric shapes extended (coloured circles/squares)
         0x1F900...0x1F9FF,      // supplemental symbols and pictographs
         0x1FA70...0x1FAFF,      // symbols and pictographs extended-A
         0x20000...0x2FFFD,      // CJK Extensions B–F, compatibility supplement
         0x30000...0x3FFFD:      // CJK Extensions G–H
        return true
    default:
        return false
    }
}
