package reporttest

import (
	"strings"
)

// Command is one workflow command as the GitHub Actions runner acts on it.
type Command struct {
	Name       string // error, notice, group, stop-commands, …
	Properties string // what stands between the name and the message
	Message    string
	Line       int // 1-based line of the log
}

// ActionsCommands reads a step's log the way the Actions runner does and
// returns the commands it would act on:
//
//   - a command is a line that, after leading white space, starts with
//     ::name[ properties]::message, or with the older ##[name properties]message;
//   - after ::stop-commands::TOKEN nothing is a command until a line that
//     is ::TOKEN:: once trimmed (letter case ignored).
//
// So a test sees exactly what a student's printed text could make the
// runner do.
func ActionsCommands(log string) []Command {
	var out []Command
	token := ""
	for i, line := range strings.Split(log, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if token != "" {
			if strings.EqualFold(strings.TrimSpace(line), "::"+token+"::") {
				token = ""
			}
			continue
		}
		c, ok := parseCommand(strings.TrimLeft(line, " \t"))
		if !ok {
			continue
		}
		c.Line = i + 1
		out = append(out, c)
		if c.Name == "stop-commands" && c.Message != "" {
			token = c.Message
		}
	}
	return out
}

func parseCommand(s string) (Command, bool) {
	switch {
	case strings.HasPrefix(s, "::"):
		end := strings.Index(s[2:], "::")
		if end < 0 {
			return Command{}, false
		}
		info, msg := s[2:2+end], s[2+end+2:]
		name, props, _ := strings.Cut(info, " ")
		return Command{Name: strings.ToLower(name), Properties: props, Message: msg}, name != ""
	case strings.HasPrefix(s, "##["):
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return Command{}, false
		}
		name, props, _ := strings.Cut(s[3:end], " ")
		return Command{Name: strings.ToLower(name), Properties: props, Message: s[end+1:]}, name != ""
	}
	return Command{}, false
}

// UnescapeData undoes the toolkit's escaping of a command's message, as
// the runner does before showing it.
func UnescapeData(s string) string {
	return strings.NewReplacer("%0D", "\r", "%0A", "\n", "%25", "%").Replace(s)
}

// UnescapeProperty undoes the escaping of a property value.
func UnescapeProperty(s string) string {
	return strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%").Replace(s)
}
