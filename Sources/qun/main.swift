import Foundation
import QunCommands

exit(await QunMain.runCommandLine())
