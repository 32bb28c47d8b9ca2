package fleet

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/beian-dev/beian/internal/filing"
)

// yamlFile is one YAML fleet file:
//
//	defaults:            # site fields every site starts from
//	  access_provider: {...}
//	subjects:
//	  - id: acme
//	    token_env: ACME_TOKEN   # or profile: acme
//	    subject: {...}          # the hosting subject, as in `file --from`
//	    defaults: {...}         # this subject's site defaults
//	    sites: [{...}, ...]     # sites, as in `file --from`
//	    sheets: [acme.csv]      # more sites, one per row
//	sheets: [all.xlsx]          # rows name their subject in a "subject" column
type yamlFile struct {
	Defaults yaml.Node     `yaml:"defaults"`
	Subjects []yamlSubject `yaml:"subjects"`
	Sites    []yaml.Node   `yaml:"sites"`
	Sheets   []string      `yaml:"sheets"`
}

type yamlSubject struct {
	ID       string          `yaml:"id"`
	TokenEnv string          `yaml:"token_env"`
	Profile  string          `yaml:"profile"`
	Subject  *filing.Subject `yaml:"subject"`
	Defaults yaml.Node       `yaml:"defaults"`
	Sites    []yaml.Node     `yaml:"sites"`
	Sheets   []string        `yaml:"sheets"`
}

// loader builds a Fleet from files, merging subjects of the same ID.
type loader struct {
	fleet    Fleet
	byID     map[string]*Subject
	defaults map[*Subject]*yaml.Node // the subject's own defaults
	global   *yaml.Node
	globalAt string
	sheets   []pendingSheet
	seen     map[string]bool
}

type pendingSheet struct {
	path    string
	subject *Subject // nil: rows name their subject
	where   string
}

// Load reads a fleet from paths: YAML files (.yaml, .yml), sheets (.csv,
// .xlsx) and directories of them (read in name order, not recursively).
// Every problem is a *LoadError naming the file and line or row.
func Load(paths ...string) (*Fleet, error) {
	if len(paths) == 0 {
		return nil, errors.New("no fleet given: use -f FILE or -f DIR")
	}
	l := &loader{byID: map[string]*Subject{}, defaults: map[*Subject]*yaml.Node{}, seen: map[string]bool{}}
	for _, p := range paths {
		if err := l.path(p); err != nil {
			return nil, err
		}
	}
	// Sheets last: their rows start from the defaults, wherever declared.
	for _, sh := range l.sheets {
		if err := l.sheet(sh); err != nil {
			return nil, err
		}
	}
	if len(l.fleet.Subjects) == 0 {
		return nil, loadErr(strings.Join(paths, ", "), "the fleet has no subjects and no sites")
	}
	seenAccount := map[Account]string{}
	for _, s := range l.fleet.Subjects {
		if prev, ok := seenAccount[s.Account]; ok {
			return nil, loadErr(s.Where, "subjects %s and %s are both filed by %s: each hosting subject has its own account (FAQ item 7); give each a token_env or profile", prev, s.Label(), s.Account)
		}
		seenAccount[s.Account] = s.Label()
	}
	return &l.fleet, nil
}

func (l *loader) path(p string) error {
	st, err := os.Stat(p)
	if err != nil {
		return &LoadError{Where: p, Err: errors.Unwrap(err)}
	}
	if !st.IsDir() {
		return l.file(p)
	}
	entries, err := os.ReadDir(p)
	if err != nil {
		return &LoadError{Where: p, Err: err}
	}
	n := 0
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") || kindOf(e.Name()) == "" {
			continue
		}
		if err := l.file(filepath.Join(p, e.Name())); err != nil {
			return err
		}
		n++
	}
	if n == 0 {
		return loadErr(p, "the directory holds no .yaml, .yml, .csv or .xlsx file")
	}
	return nil
}

func kindOf(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml":
		return "yaml"
	case ".csv":
		return "csv"
	case ".xlsx":
		return "xlsx"
	}
	return ""
}

func (l *loader) file(p string) error {
	abs, _ := filepath.Abs(p)
	if l.seen[abs] {
		return nil
	}
	l.seen[abs] = true
	l.fleet.Files = append(l.fleet.Files, p)
	switch kindOf(p) {
	case "csv", "xlsx":
		l.sheets = append(l.sheets, pendingSheet{path: p, where: p})
		return nil
	case "yaml":
		return l.yaml(p)
	}
	return loadErr(p, "not a fleet file: use .yaml, .yml, .csv or .xlsx")
}

func (l *loader) yaml(p string) error {
	b, err := readBounded(p, maxFleetFile)
	if err != nil {
		return &LoadError{Where: p, Err: err}
	}
	if err := boundedYAML(b); err != nil {
		return &LoadError{Where: p, Err: err}
	}
	var f yamlFile
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return loadErr(p, "the file is empty")
		}
		return &LoadError{Where: p, Err: err}
	}
	at := func(n *yaml.Node) string { return fmt.Sprintf("%s:%d", p, n.Line) }
	dir := filepath.Dir(p)
	if f.Defaults.Kind != 0 {
		if l.global != nil {
			return loadErr(at(&f.Defaults), "defaults are declared twice (also at %s)", l.globalAt)
		}
		if f.Defaults.Kind != yaml.MappingNode {
			return loadErr(at(&f.Defaults), "defaults: must be a mapping of site fields")
		}
		l.global, l.globalAt = &f.Defaults, at(&f.Defaults)
	}
	for _, ys := range f.Subjects {
		where := p
		s, err := l.subject(ys, where)
		if err != nil {
			return err
		}
		for i := range ys.Sites {
			s.Sites = append(s.Sites, &Site{Where: at(&ys.Sites[i]), raw: &ys.Sites[i]})
		}
		for _, sh := range ys.Sheets {
			l.sheets = append(l.sheets, pendingSheet{path: filepath.Join(dir, sh), subject: s, where: p})
		}
	}
	if len(f.Sites) > 0 {
		s := l.subjectByID("", p)
		for i := range f.Sites {
			s.Sites = append(s.Sites, &Site{Where: at(&f.Sites[i]), raw: &f.Sites[i]})
		}
	}
	for _, sh := range f.Sheets {
		l.sheets = append(l.sheets, pendingSheet{path: filepath.Join(dir, sh), where: p})
	}
	// Decode the sites now that this file's defaults are known; defaults
	// from a later file reach only sheets, so say so rather than guess.
	for _, s := range l.fleet.Subjects {
		for _, site := range s.Sites {
			if site.raw == nil {
				continue
			}
			if err := l.decodeSite(s, site); err != nil {
				return err
			}
		}
	}
	return nil
}

// subject merges a declared subject into the fleet.
func (l *loader) subject(ys yamlSubject, where string) (*Subject, error) {
	if ys.ID != strings.TrimSpace(ys.ID) || strings.ContainsAny(ys.ID, "/\n\t") {
		return nil, loadErr(where, "subject id %q: no spaces at its ends, no slash", ys.ID)
	}
	if ys.TokenEnv != "" && ys.Profile != "" {
		return nil, loadErr(where, "subject %s: give token_env or profile, not both", ys.ID)
	}
	s := l.subjectByID(ys.ID, where)
	acct := Account{TokenEnv: ys.TokenEnv, Profile: ys.Profile}
	if acct != (Account{}) {
		if s.Account != (Account{}) && s.Account != acct {
			return nil, loadErr(where, "subject %s: its account is given twice (%s, then %s)", s.Label(), s.Account, acct)
		}
		s.Account = acct
	}
	if ys.Subject != nil {
		if s.Subject != nil {
			return nil, loadErr(where, "subject %s: its subject: section is given twice", s.Label())
		}
		s.Subject = ys.Subject
	}
	if ys.Defaults.Kind != 0 {
		if ys.Defaults.Kind != yaml.MappingNode {
			return nil, loadErr(fmt.Sprintf("%s:%d", where, ys.Defaults.Line), "defaults: must be a mapping of site fields")
		}
		if l.defaults[s] != nil {
			return nil, loadErr(where, "subject %s: its defaults are given twice", s.Label())
		}
		d := ys.Defaults
		l.defaults[s] = &d
	}
	return s, nil
}

func (l *loader) subjectByID(id, where string) *Subject {
	if s, ok := l.byID[id]; ok {
		return s
	}
	s := &Subject{ID: id, Where: where}
	l.byID[id] = s
	l.fleet.Subjects = append(l.fleet.Subjects, s)
	return s
}

// defaultsFor is the site mapping every site of s starts from: the
// fleet's defaults under the subject's.
func (l *loader) defaultsFor(s *Subject) *yaml.Node {
	return merge(l.global, l.defaults[s])
}

func (l *loader) decodeSite(s *Subject, site *Site) error {
	raw := site.raw
	site.raw = nil
	if raw.Kind != yaml.MappingNode {
		return loadErr(site.Where, "a site must be a mapping of site fields")
	}
	n := merge(resolve(l.defaultsFor(s)), resolve(raw))
	out, err := decodeSiteNode(n)
	if err != nil {
		return &LoadError{Where: site.Where, Err: err}
	}
	site.Site = out
	return nil
}

// decodeSiteNode decodes a site mapping strictly: an unknown field (a typo)
// is refused, not dropped.
func decodeSiteNode(n *yaml.Node) (filing.Site, error) {
	var out filing.Site
	if n == nil {
		return out, nil
	}
	b, err := yaml.Marshal(n)
	if err != nil {
		return out, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&out); err != nil && !errors.Is(err, io.EOF) {
		return out, cleanYAMLError(err)
	}
	return out, nil
}

// cleanYAMLError drops the line numbers of the re-encoded mapping, which
// would point nowhere in the user's file (the site's own line is given).
func cleanYAMLError(err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs := make([]string, len(te.Errors))
		for i, m := range te.Errors {
			if _, rest, ok := strings.Cut(m, ": "); ok && strings.HasPrefix(m, "line ") {
				m = rest
			}
			msgs[i] = m
		}
		return errors.New(strings.Join(slices.Compact(msgs), "; "))
	}
	return err
}

// resolve returns n with every alias (*name) replaced by a copy of what it
// names, so that a mapping can be re-encoded on its own: YAML anchors are
// one way to declare shared values once.
func resolve(n *yaml.Node) *yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return resolve(n.Alias)
	}
	c := *n
	c.Anchor = ""
	if len(n.Content) > 0 {
		c.Content = make([]*yaml.Node, len(n.Content))
		for i, k := range n.Content {
			c.Content[i] = resolve(k)
		}
	}
	return &c
}

// merge returns over laid on base: keys of over win, mappings under the
// same key merge, anything else (lists, scalars) is replaced. Neither input
// is changed.
func merge(base, over *yaml.Node) *yaml.Node {
	switch {
	case base == nil:
		return over
	case over == nil:
		return base
	case base.Kind != yaml.MappingNode || over.Kind != yaml.MappingNode:
		return over
	}
	out := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: over.Line}
	idx := map[string]int{}
	for i := 0; i+1 < len(base.Content); i += 2 {
		idx[base.Content[i].Value] = len(out.Content)
		out.Content = append(out.Content, base.Content[i], base.Content[i+1])
	}
	for i := 0; i+1 < len(over.Content); i += 2 {
		k := over.Content[i].Value
		if j, ok := idx[k]; ok {
			out.Content[j+1] = merge(out.Content[j+1], over.Content[i+1])
			continue
		}
		out.Content = append(out.Content, over.Content[i], over.Content[i+1])
	}
	return out
}

// Bounds of a fleet file (issue 23, finding 9): a 505-byte file of nested
// aliases expanded past 2.5 GB. The file is read up to maxFleetFile bytes,
// and its node tree, counted with every alias expanded, must stay under
// maxYAMLNodes values and maxYAMLDepth levels before anything is decoded.
const (
	maxFleetFile = 32 << 20
	maxYAMLNodes = 2_000_000
	maxYAMLDepth = 64
)

func readBounded(p string, limit int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("the file is larger than %d MiB", limit>>20)
	}
	return b, nil
}

// boundedYAML refuses a document whose aliases expand it beyond the bounds.
func boundedYAML(b []byte) error {
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return nil // the real decode reports it, with its line
	}
	memo := map[*yaml.Node]int{}
	var size func(n *yaml.Node, depth int) (int, error)
	size = func(n *yaml.Node, depth int) (int, error) {
		if depth > maxYAMLDepth {
			return 0, fmt.Errorf("line %d: nested deeper than %d levels", n.Line, maxYAMLDepth)
		}
		if v, ok := memo[n]; ok {
			if v < 0 {
				return 0, fmt.Errorf("line %d: an alias refers to itself", n.Line)
			}
			return v, nil
		}
		memo[n] = -1
		total := 1
		kids := n.Content
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			kids = []*yaml.Node{n.Alias}
		}
		for _, k := range kids {
			v, err := size(k, depth+1)
			if err != nil {
				return 0, err
			}
			if total += v; total > maxYAMLNodes {
				return 0, fmt.Errorf("line %d: its aliases expand the file to more than %d values; write the values out or use fewer nested anchors", n.Line, maxYAMLNodes)
			}
		}
		memo[n] = total
		return total, nil
	}
	_, err := size(&root, 0)
	return err
}
