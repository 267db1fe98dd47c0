import Foundation
import QunCommands

exit(QunMain.run(Array(CommandLine.arguments.dropFirst())))
