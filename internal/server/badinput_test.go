package server_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/platform"
	"github.com/beian-dev/beian/internal/server/servertest"
)

// snapshot dumps every row of every table of the server's SQLite file, so a
// test can assert that a refused request changed nothing at all.
func snapshot(t *testing.T, env *servertest.Env) string {
	t.Helper()
	path, ok := strings.CutPrefix(env.DSN, "sqlite:")
	if !ok {
		t.Fatalf("snapshot needs a SQLite DSN, got %q", env.DSN)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tables, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for tables.Next() {
		var n string
		if err := tables.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	tables.Close()
	var b strings.Builder
	for _, n := range names {
		rows, err := db.Query(`SELECT * FROM "` + n + `"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, fmt.Sprintf("%v", vals))
		}
		rows.Close()
		sort.Strings(lines)
		fmt.Fprintf(&b, "== %s (%d rows)\n%s\n", n, len(lines), strings.Join(lines, "\n"))
	}
	return b.String()
}

// toMap turns a request value into its JSON object form.
func toMap(t *testing.T, v any) map[string]any {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// wrongKind returns a JSON value of another kind than v.
func wrongKind(v any) any {
	switch v.(type) {
	case string:
		return 12345
	case float64, bool:
		return "not-this-kind"
	case []any:
		return map[string]any{"x": 1}
	case map[string]any:
		return []any{1, 2}
	}
	return 7
}

// mistype replaces every value of the top two levels with one of the wrong
// kind and returns the paths it broke.
func mistype(m map[string]any) (map[string]any, []string) {
	out := map[string]any{}
	var paths []string
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok && len(sub) > 0 {
			broken := map[string]any{}
			for sk, sv := range sub {
				if _, isObj := sv.(map[string]any); isObj {
					broken[sk] = sv // deeper levels stay as they are
					continue
				}
				broken[sk] = wrongKind(sv)
				paths = append(paths, k+"."+sk)
			}
			out[k] = broken
			continue
		}
		out[k] = wrongKind(v)
		paths = append(paths, k)
	}
	return out, paths
}

// withUnknown adds an unknown field at the top and inside each object.
func withUnknown(m map[string]any) (map[string]any, []string) {
	out := map[string]any{"bogus": true}
	paths := []string{"bogus"}
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok {
			cp := map[string]any{"extra_field": 1}
			for sk, sv := range sub {
				cp[sk] = sv
			}
			out[k] = cp
			paths = append(paths, k+".extra_field")
			continue
		}
		out[k] = v
	}
	return out, paths
}

type badRoute struct {
	method, path string
	token        string
	header       []string
	valid        any // a well-formed body, the base of every broken one
	// invalid is a well-formed body with invalid identifiers or domains,
	// and the fields that must be named.
	invalid       any
	invalidFields []string
}

// TestBadInputChangesNothing sends every route that takes a JSON body
// malformed JSON, unknown fields, wrong types, an oversized body, the wrong
// media type and invalid identifiers, and checks that the answer is a
// problem naming every bad field and that not one stored row changed.
func TestBadInputChangesNothing(t *testing.T) {
	env := servertest.Start(t)
	w := newWorld(t, env)
	draft := w.draft()
	recorded := w.site(w.recorded())
	review := w.underReview()
	subj := must(env.Desk.Subject(w.ctx, w.actors[owner]))(t)

	badSite := publicSite("ok.cn")
	badSite.PrimaryDomain = "bad..domain"
	badSite.ExtraDomains = []string{"www.ok.cn", "-lead.cn", "WWW.OK.CN."} // the last repeats the first
	badSite.IPAddresses = []string{"999.1.1.1"}
	badSite.LaunchDate = "2024-02-30"
	badSite.SecurityOfficer.IDNumber = "420111199206154561" // wrong check digit
	badSubject := subj.Subject
	badSubject.CertNumber = "91420111MA4K00010X"
	badSubject.Mobile = "12345"
	badSubject.Email = "nobody"
	badSubject.OfficeAddress.AreaCode = "990000"

	routes := []badRoute{
		{method: "POST", path: "/v1/sms-codes", valid: api.SMSCodeRequest{Mobile: "13700001234", Purpose: api.SMSRegister},
			invalid: api.SMSCodeRequest{Mobile: "0123", Purpose: "spam"}, invalidFields: []string{"mobile", "purpose"}},
		{method: "POST", path: "/v1/accounts", valid: api.RegisterRequest{Login: "newbie", Mobile: "13700001235", SMSCode: "123456", Password: servertest.Password, Email: "n@example.com"},
			invalid: api.RegisterRequest{Login: "1", Mobile: "99", SMSCode: "", Password: "x", Email: "no"}, invalidFields: []string{"login", "mobile", "email", "password", "sms_code"}},
		{method: "POST", path: "/v1/sessions", valid: api.LoginRequest{Login: "owner", Password: servertest.Password},
			invalid: api.LoginRequest{}, invalidFields: []string{"login", "password"}},
		{method: "POST", path: "/v1/password-resets", valid: api.PasswordResetRequest{Mobile: "13700001236", SMSCode: "123456", NewPassword: "long-enough-1"},
			invalid: api.PasswordResetRequest{Mobile: "1", NewPassword: "x"}, invalidFields: []string{"mobile", "sms_code", "new_password"}},
		{method: "POST", path: "/v1/account/email-verification", token: w.tokens[owner], valid: api.EmailVerifyRequest{Code: "123456"},
			invalid: api.EmailVerifyRequest{}, invalidFields: []string{"code"}},
		{method: "PUT", path: "/v1/subject", token: w.tokens[owner], header: []string{"If-Match", etag(subj.Version)}, valid: api.SubjectWrite{Subject: subj.Subject},
			invalid: api.SubjectWrite{Subject: badSubject}, invalidFields: []string{"subject.cert_number", "subject.mobile", "subject.email", "subject.office_address.area_code"}},
		{method: "POST", path: "/v1/subject/amendments", token: w.tokens[owner], header: []string{"If-Match", etag(subj.Version)}, valid: api.SubjectWrite{Subject: subj.Subject},
			invalid: api.SubjectWrite{Subject: badSubject}, invalidFields: []string{"subject.cert_number", "subject.mobile", "subject.email", "subject.office_address.area_code"}},
		{method: "POST", path: "/v1/sites", token: w.tokens[owner], valid: api.SiteWrite{Site: publicSite("fresh.cn")},
			invalid: api.SiteWrite{Site: badSite}, invalidFields: []string{"site.primary_domain", "site.extra_domains[1]", "site.extra_domains[2]", "site.ip_addresses[0]", "site.launch_date", "site.security_officer.id_number"}},
		{method: "PUT", path: "/v1/sites/" + draft.ID, token: w.tokens[owner], header: []string{"If-Match", etag(draft.Version)}, valid: api.SiteWrite{Site: draft.Site},
			invalid: api.SiteWrite{Site: badSite}, invalidFields: []string{"site.primary_domain", "site.extra_domains[1]", "site.extra_domains[2]", "site.ip_addresses[0]", "site.launch_date", "site.security_officer.id_number"}},
		{method: "POST", path: "/v1/sites/" + recorded.ID + "/amendments", token: w.tokens[owner], header: []string{"If-Match", etag(recorded.Version)}, valid: api.AmendRequest{Site: recorded.Site},
			invalid: api.AmendRequest{Site: badSite}, invalidFields: []string{"site.primary_domain", "site.extra_domains[1]", "site.extra_domains[2]", "site.ip_addresses[0]", "site.launch_date", "site.security_officer.id_number"}},
		{method: "POST", path: "/v1/sites/" + recorded.ID + "/cancel", token: w.tokens[owner], valid: api.CancelRequest{Reason: "关闭"},
			invalid: api.CancelRequest{Reason: strings.Repeat("长", 501)}, invalidFields: []string{"reason"}},
		{method: "POST", path: "/v1/sites/" + draft.ID + "/claim", token: w.tokens[owner], valid: api.ClaimRequest{OldRecordNumber: "42011102000001"}},
		{method: "POST", path: "/v1/domain-checks", token: w.tokens[owner], valid: api.DomainCheckRequest{Domains: []string{"example.com"}},
			invalid: api.DomainCheckRequest{Domains: make([]string, api.MaxBatchCheck+1)}, invalidFields: []string{"domains"}},
		{method: "POST", path: "/v1/review/subjects/" + w.actors[owner].AccountID + "/return", token: w.tokens[reviewerOfArea], valid: api.ReturnRequest{Reason: "不全"},
			invalid: api.ReturnRequest{Reason: "  "}, invalidFields: []string{"reason"}},
		{method: "POST", path: "/v1/review/sites/" + review + "/return", token: w.tokens[reviewerOfArea], valid: api.ReturnRequest{Reason: "不全"},
			invalid: api.ReturnRequest{}, invalidFields: []string{"reason"}},
		{method: "POST", path: "/v1/admin/users", token: w.tokens[admin], valid: api.UserCreateRequest{Login: "staffer", Mobile: "13700001237", Email: "s@police.example", Password: servertest.Password, Role: api.RoleReviewer, AreaPrefix: "4201"},
			invalid: api.UserCreateRequest{Login: "x", Mobile: "1", Email: "y", Password: "z", Role: api.RoleReviewer, AreaPrefix: "99"}, invalidFields: []string{"login", "mobile", "email", "password", "area_prefix"}},
	}

	for _, rt := range routes {
		t.Run(rt.method+" "+rt.path, func(t *testing.T) {
			w.t = t
			before := snapshot(t, env)
			send := func(body any, header ...string) *servertest.Response {
				return env.CallUnchecked(t, rt.method, rt.path, rt.token, body, append(append([]string{}, rt.header...), header...)...)
			}
			jsonHeader := []string{"Content-Type", "application/json"}

			problem(t, send(`{"site": {"name": "半截`, jsonHeader...), api.CodeMalformedRequest)
			problem(t, send(`[1, 2, 3]`, jsonHeader...), api.CodeMalformedRequest)
			problem(t, send(``, jsonHeader...), api.CodeMalformedRequest)
			problem(t, send(`{} {}`, jsonHeader...), api.CodeMalformedRequest)

			valid := toMap(t, rt.valid)
			unknown, paths := withUnknown(valid)
			wantFields(t, problem(t, send(unknown), api.CodeValidationFailed), "unknown_field", paths)

			mistyped, paths := mistype(valid)
			wantFields(t, problem(t, send(mistyped), api.CodeValidationFailed), "type_invalid", paths)

			big := `{"pad": "` + strings.Repeat("x", 1<<20) + `"}`
			problem(t, send(big, jsonHeader...), api.CodeBodyTooLarge)

			raw, _ := json.Marshal(rt.valid)
			problem(t, send(string(raw), "Content-Type", "text/plain"), api.CodeUnsupportedMediaType)
			problem(t, send(string(raw)), api.CodeUnsupportedMediaType) // no Content-Type at all

			if rt.invalid != nil {
				p := problem(t, send(rt.invalid), api.CodeValidationFailed)
				for _, f := range rt.invalidFields {
					if !hasField(p, f, "") {
						t.Errorf("no error for %s in %+v", f, p.Errors)
					}
				}
			}
			if after := snapshot(t, env); after != before {
				t.Fatalf("a refused request changed the stored data:\n%s", diffLines(before, after))
			}
		})
	}

	// Attachments and imports take raw bodies: too large, the wrong type.
	t.Run("POST /v1/attachments", func(t *testing.T) {
		before := snapshot(t, env)
		big := append([]byte("%PDF-1.4\n"), make([]byte, platform.MaxAttachmentSize)...)
		problem(t, env.CallUnchecked(t, "POST", "/v1/attachments", w.tokens[owner], big, "Content-Type", "application/pdf"), api.CodeBodyTooLarge)
		problem(t, env.CallUnchecked(t, "POST", "/v1/attachments", w.tokens[owner], []byte("MZ not a pdf at all"), "Content-Type", "application/pdf"), api.CodeUnsupportedMediaType)
		problem(t, env.CallUnchecked(t, "POST", "/v1/attachments", w.tokens[owner], []byte("%PDF-1.4\n"), "Content-Type", "text/html"), api.CodeUnsupportedMediaType)
		if after := snapshot(t, env); after != before {
			t.Fatalf("changed:\n%s", diffLines(before, after))
		}
	})
	t.Run("POST /v1/admin/imports", func(t *testing.T) {
		before := snapshot(t, env)
		problem(t, env.CallUnchecked(t, "POST", "/v1/admin/imports", w.tokens[admin], `{"csv": false}`, "Content-Type", "application/json"), api.CodeUnsupportedMediaType)
		problem(t, env.CallUnchecked(t, "POST", "/v1/admin/imports", w.tokens[admin], "a,\"b\nc", "Content-Type", "text/csv"), api.CodeValidationFailed)
		var res api.ImportResult
		call(t, env, "POST", "/v1/admin/imports", w.tokens[admin], "bad..cn,42011102000001,X,名\nok.cn,nonsense,X,名\n", http.StatusOK, &res, "Content-Type", "text/csv")
		if len(res.Errors) != 2 || res.Unrecorded+res.ToClaim != 0 {
			t.Fatalf("import of bad lines: %+v", res)
		}
		if after := snapshot(t, env); after != before {
			t.Fatalf("changed:\n%s", diffLines(before, after))
		}
	})
}

func wantFields(t *testing.T, p api.Problem, code string, paths []string) {
	t.Helper()
	for _, f := range paths {
		if !hasField(p, f, code) {
			t.Errorf("no %s error for %s in %+v", code, f, p.Errors)
		}
	}
}

func hasField(p api.Problem, field, code string) bool {
	for _, e := range p.Errors {
		if e.Field == field && (code == "" || e.Code == code) {
			return true
		}
	}
	return false
}

func diffLines(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	seen := map[string]int{}
	for _, l := range al {
		seen[l]++
	}
	var out []string
	for _, l := range bl {
		if seen[l] > 0 {
			seen[l]--
			continue
		}
		out = append(out, "+ "+l)
	}
	for l, n := range seen {
		for range n {
			out = append(out, "- "+l)
		}
	}
	return strings.Join(out, "\n")
}
