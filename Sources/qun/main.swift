import Foundation
import QunCommands

exit(await QunMain.run(Array(CommandLine.arguments.dropFirst())))
