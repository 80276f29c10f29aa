namespace Superbridge.Core.Observed;

/// <summary>
/// A command's output could not be read. <see cref="Parser"/> names the parser and the message says what
/// was wrong and where (entry, line); the original exception, when there was one, is the inner exception.
/// </summary>
public sealed class ObservedParseException : FormatException
{
    public ObservedParseException(string parser, string command, string problem, Exception? inner = null)
        : base($"{parser}: cannot read `{command}` output: {problem}", inner)
    {
        Parser = parser;
        Command = command;
        Problem = problem;
    }

    public string Parser { get; }
    public string Command { get; }
    public string Problem { get; }
}
