package filingio

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"go.yaml.in/yaml/v3"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/filing"
)

// Document is a filing as a file: the hosting subject (optional once the
// account has one) and the site, with the API's field names.
//
//	subject:
//	  kind: unit
//	  ...
//	site:
//	  name: 示例科技官网
//	  ...
type Document struct {
	Subject *filing.Subject `yaml:"subject,omitempty" json:"subject,omitempty"`
	Site    *filing.Site    `yaml:"site,omitempty" json:"site,omitempty"`
	// Ignored names the read-only fields of a record (`subject show -o
	// yaml` prints them) that Load skipped: the server sets them.
	Ignored []string `yaml:"-" json:"-"`
}

// recordFields are the server-set fields of a subject or site record:
// state, version, timestamps... A document copied from `beian subject show
// -o yaml` carries them; they are skipped, not refused.
var recordFields = map[string]bool{
	"state": true, "version": true, "return_reason": true, "submitted_at": true, "approved_at": true,
	"recorded_at": true, "updated_at": true, "created_at": true, "account_id": true, "change_request": true,
	"id": true, "domains": true, "record_number": true, "old_record_number": true, "late": true,
}

// dropRecordFields removes recordFields from the top level of the YAML in
// b and says which it removed.
func dropRecordFields(b []byte) ([]byte, []string) {
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil || len(root.Content) != 1 || root.Content[0].Kind != yaml.MappingNode {
		return b, nil
	}
	m := root.Content[0]
	var kept []*yaml.Node
	var dropped []string
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i].Value; recordFields[k] {
			dropped = append(dropped, k)
			continue
		}
		kept = append(kept, m.Content[i], m.Content[i+1])
	}
	if len(dropped) == 0 {
		return b, nil
	}
	m.Content = kept
	out, err := yaml.Marshal(&root)
	if err != nil {
		return b, nil
	}
	return out, dropped
}

// DocumentError is a file that is not a filing document: bad YAML, an
// unknown field (a typo would otherwise be dropped silently), or nothing in
// it. It exits 5.
type DocumentError struct {
	Name string
	Err  error
}

// Code is "yaml_invalid".
func (e *DocumentError) Code() string { return "yaml_invalid" }

func (e *DocumentError) Error() string { return fmt.Sprintf("%s: %v", e.Name, e.Err) }

func (e *DocumentError) Unwrap() error { return e.Err }

// Load reads a document from r; name is used in errors ("site.yaml",
// "stdin"). Unknown fields are refused, with their line.
func Load(r io.Reader, name string) (*Document, error) { return load(r, name, false) }

// load is Load; with record it also takes a record as `show -o yaml`
// prints it, skipping the fields the server sets (Document.Ignored).
func load(r io.Reader, name string, record bool) (*Document, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, &DocumentError{Name: name, Err: errors.New("the document is empty")}
	}
	var ignored []string
	if record {
		b, ignored = dropRecordFields(b)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	doc := Document{Ignored: ignored}
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) { // comments only
			return nil, &DocumentError{Name: name, Err: errors.New("the document is empty")}
		}
		return nil, &DocumentError{Name: name, Err: err}
	}
	if doc.Subject == nil && doc.Site == nil {
		return nil, &DocumentError{Name: name, Err: errors.New("neither subject: nor site: is in it")}
	}
	return &doc, nil
}

// LoadFile reads a document from path, or from stdin for "-".
func LoadFile(ios *iostreams.IOStreams, path string) (*Document, error) {
	return loadFile(ios, path, false)
}

// LoadRecordFile is LoadFile for a document copied from a record (`beian
// subject show -o yaml`): the fields the server sets are skipped and named
// in Document.Ignored, not refused.
func LoadRecordFile(ios *iostreams.IOStreams, path string) (*Document, error) {
	return loadFile(ios, path, true)
}

func loadFile(ios *iostreams.IOStreams, path string, record bool) (*Document, error) {
	if path == "-" {
		return load(ios.In, "stdin", record)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return load(f, path, record)
}

// Marshal writes doc as YAML (the form `--from` reads).
func Marshal(doc *Document) ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	err := enc.Close()
	return b.Bytes(), err
}

// Invalid turns rule errors found on the client into the same problem the
// server would answer (validation_failed, every bad field), so they print
// and exit (5) alike.
func Invalid(errs filing.Errors) error {
	fes := make([]api.FieldError, len(errs))
	for i, e := range errs {
		fes[i] = api.FieldError{Field: e.Field, Code: e.Code, Message: e.Message, Params: e.Params}
	}
	return api.Invalid(fes)
}
