import FirstLineCLI
import Foundation

@main
struct Entrypoint {
    static func main() async {
        exit(await FirstLineCommand.execute(Array(CommandLine.arguments.dropFirst())))
    }
}
