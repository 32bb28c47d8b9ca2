// Package output prints what read commands return: a table for people
// (padded on a terminal, tab-separated when piped), JSON or YAML for
// programs, and --jq filters applied in-process. Data goes to stdout only;
// callers put every message on stderr.
package output

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/itchyny/gojq"
	"go.yaml.in/yaml/v3"

	"github.com/beian-dev/beian/internal/cli/iostreams"
)

// Format is the value of --output.
type Format string

// The formats read commands accept.
const (
	FormatTable Format = "table"
	FormatJSON  Format = "json"
	FormatYAML  Format = "yaml"
	// FormatCSV and FormatXLSX are sheets: only `beian sites` writes them
	// (a fleet to edit and re-apply); other commands refuse them.
	FormatCSV  Format = "csv"
	FormatXLSX Format = "xlsx"
)

// ErrSheetFormat is --output csv or xlsx given to a command that has no
// sheet to write.
var ErrSheetFormat = errors.New("--output csv and xlsx are for `beian sites` (a fleet sheet); use table, json or yaml")

// Formats lists the valid values of --output, for flag help and completion.
var Formats = []string{string(FormatTable), string(FormatJSON), string(FormatYAML)}

// ParseFormat checks a --output value; empty means table.
func ParseFormat(s string) (Format, error) {
	switch Format(strings.ToLower(strings.TrimSpace(s))) {
	case "", FormatTable:
		return FormatTable, nil
	case FormatJSON:
		return FormatJSON, nil
	case FormatYAML:
		return FormatYAML, nil
	case FormatCSV:
		return FormatCSV, nil
	case FormatXLSX:
		return FormatXLSX, nil
	}
	return "", fmt.Errorf("invalid output format %q: use table, json or yaml (or csv, xlsx for beian sites)", s)
}

// Options are the global output choices (--output, --jq).
type Options struct {
	Format Format
	JQ     string
}

// Structured reports whether data is printed for a program (json, yaml or a
// jq filter) rather than as a table.
func (o Options) Structured() bool {
	return o.JQ != "" || o.Format == FormatJSON || o.Format == FormatYAML
}

// Print writes v in the chosen format. table prints the human form and is
// called only for FormatTable without --jq.
func Print(ios *iostreams.IOStreams, o Options, v any, table func() error) error {
	if o.JQ != "" {
		if ios.IsStdoutTTY() {
			// jq -r prints strings raw; on a terminal, raw text from the
			// server could drive it (issue 23, finding 12).
			return JQ(&sanitizingWriter{w: ios.Out}, v, o.JQ)
		}
		return JQ(ios.Out, v, o.JQ)
	}
	switch o.Format {
	case FormatJSON:
		return JSON(ios.Out, v)
	case FormatYAML:
		return YAML(ios.Out, v)
	case FormatCSV, FormatXLSX:
		return ErrSheetFormat
	}
	if table == nil {
		return JSON(ios.Out, v)
	}
	return table()
}

// JSON writes v as indented JSON with a final newline. Field order is the
// struct order, so the output is stable from run to run.
//
// The C1 controls and the bidirectional controls that encoding/json leaves
// raw (U+009B is a CSI to many terminals, U+202E reverses what follows)
// are written as \u escapes: the same JSON value, harmless on a terminal.
func JSON(w io.Writer, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(escapeUnsafeJSON(b.Bytes()))
	return err
}

// escapeUnsafeJSON rewrites every unsafe rune in encoded JSON as a \u
// escape. Outside strings JSON has only ASCII, so every such rune is in
// a string, where the escape means the same rune.
func escapeUnsafeJSON(b []byte) []byte {
	if !needsSanitizing(string(b)) {
		return b
	}
	var out bytes.Buffer
	for _, r := range string(b) {
		if r >= 0x80 && unsafeRune(r) {
			fmt.Fprintf(&out, "\\u%04x", r)
			continue
		}
		out.WriteRune(r)
	}
	return out.Bytes()
}

// sanitizingWriter Sanitizes each line written through it.
type sanitizingWriter struct{ w io.Writer }

func (s *sanitizingWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(s.w, Sanitize(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// YAML writes v as YAML with the same field names and order as its JSON.
func YAML(w io.Writer, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	node, err := jsonToNode(json.NewDecoder(bytes.NewReader(raw)))
	if err != nil {
		return err
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(node); err != nil {
		return err
	}
	return enc.Close()
}

// jsonToNode turns a JSON document into a YAML node tree, keeping the order
// of object keys (a map would sort them).
func jsonToNode(dec *json.Decoder) (*yaml.Node, error) {
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				val, err := jsonToNode(dec)
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: kt.(string)}, val)
			}
			_, err := dec.Token() // '}'
			return n, err
		case '[':
			n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
			for dec.More() {
				val, err := jsonToNode(dec)
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, val)
			}
			_, err := dec.Token() // ']'
			return n, err
		}
	case string:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: t}, nil
	case json.Number:
		tag := "!!int"
		if strings.ContainsAny(t.String(), ".eE") {
			tag = "!!float"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: t.String()}, nil
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(t)}, nil
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}, nil
	}
	return nil, fmt.Errorf("unexpected JSON token %v", tok)
}

// JQError is a --jq expression that does not parse or fails to run; the
// command exits 3 (usage) for it.
type JQError struct{ Err error }

func (e *JQError) Error() string { return "--jq: " + e.Err.Error() }
func (e *JQError) Unwrap() error { return e.Err }

// CheckJQ parses a --jq expression, so a typo is a usage error before any
// request is sent.
func CheckJQ(expr string) error {
	if _, err := gojq.Parse(expr); err != nil {
		return &JQError{err}
	}
	return nil
}

// JQ runs expr over v's JSON form and prints each result on its own line:
// strings raw (like jq -r), everything else as compact JSON.
func JQ(w io.Writer, v any, expr string) error {
	q, err := gojq.Parse(expr)
	if err != nil {
		return &JQError{err}
	}
	code, err := gojq.Compile(q)
	if err != nil {
		return &JQError{err}
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var in any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&in); err != nil {
		return err
	}
	in = normaliseNumbers(in)
	iter := code.Run(in)
	for {
		out, ok := iter.Next()
		if !ok {
			return nil
		}
		if err, ok := out.(error); ok {
			if h, ok := err.(*gojq.HaltError); ok && h.Value() == nil {
				return nil
			}
			return &JQError{err}
		}
		if s, ok := out.(string); ok {
			fmt.Fprintln(w, s)
			continue
		}
		b, err := gojq.Marshal(out)
		if err != nil {
			return err
		}
		fmt.Fprintln(w, string(b))
	}
}

// normaliseNumbers turns json.Number into int or float64, the number types
// gojq understands.
func normaliseNumbers(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			t[k] = normaliseNumbers(x)
		}
	case []any:
		for i, x := range t {
			t[i] = normaliseNumbers(x)
		}
	case json.Number:
		if i, err := t.Int64(); err == nil {
			return int(i)
		}
		f, _ := t.Float64()
		return f
	}
	return v
}
