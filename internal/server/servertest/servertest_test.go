package servertest

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/beian-dev/beian/docs"
	"github.com/beian-dev/beian/internal/api"
)

// recorder collects what the transport reports instead of failing the test.
type recorder struct {
	mu   sync.Mutex
	errs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// fake answers like a server would, with whatever the case needs.
type fake struct {
	status int
	ctype  string
	body   string
	noID   bool
	got    string // the request body it received
}

func (f *fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	f.got = string(b)
	if !f.noID {
		w.Header().Set(api.HeaderRequestID, "rid")
	}
	if f.ctype != "" {
		w.Header().Set("Content-Type", f.ctype)
	}
	w.WriteHeader(f.status)
	_, _ = io.WriteString(w, f.body)
}

const account = `{"id":"a1","login":"alice","mobile":"13912345678","email":"a@example.com","email_verified":false,"role":"sponsor","created_at":"2025-01-02T03:04:05Z"}`

func TestTransportChecksBothDirections(t *testing.T) {
	problem := func(code api.Code) string {
		return fmt.Sprintf(`{"title":"x","status":%d,"code":%q}`, code.Status(), code)
	}
	tests := []struct {
		name      string
		method    string
		path      string
		body      string
		unchecked bool
		answer    fake
		wantErr   string // "" means the exchange matches the contract
	}{
		{"documented answer", "GET", "/v1/account", "", false,
			fake{status: 200, ctype: "application/json", body: account}, ""},
		{"health", "GET", "/healthz", "", false,
			fake{status: 200, ctype: "application/json", body: `{"status":"ok"}`}, ""},
		{"an undocumented field in the answer", "GET", "/v1/account", "", false,
			fake{status: 200, ctype: "application/json", body: strings.Replace(account, `"id"`, `"password_hash":"x","id"`, 1)}, "does not match"},
		{"a required field missing", "GET", "/v1/account", "", false,
			fake{status: 200, ctype: "application/json", body: `{"id":"a1"}`}, "does not match"},
		{"an enum value the document lacks", "GET", "/v1/account", "", false,
			fake{status: 200, ctype: "application/json", body: strings.Replace(account, `"sponsor"`, `"superuser"`, 1)}, "does not match"},
		{"a path the document lacks", "GET", "/v1/nowhere", "", false,
			fake{status: 404, ctype: api.ContentTypeProblem, body: problem(api.CodeNotFound)}, "not an operation"},
		{"a request body outside the schema", "POST", "/v1/sms-codes", `{"mobile":"13912345678","purpose":"bogus"}`, false,
			fake{status: 422, ctype: api.ContentTypeProblem, body: problem(api.CodeValidationFailed)}, "request POST /v1/sms-codes does not match"},
		{"an unknown request field", "POST", "/v1/sms-codes", `{"mobile":"13912345678","purpose":"register","x":1}`, false,
			fake{status: 400, ctype: api.ContentTypeProblem, body: problem(api.CodeMalformedRequest)}, "does not match"},
		{"the same, marked Unchecked: only the answer counts", "POST", "/v1/sms-codes", `{"mobile":"13912345678","purpose":"bogus"}`, true,
			fake{status: 422, ctype: api.ContentTypeProblem, body: problem(api.CodeValidationFailed)}, ""},
		{"Unchecked, but the answer is no problem", "POST", "/v1/sms-codes", `{"x":1}`, true,
			fake{status: 400, ctype: "application/json", body: `{"error":"bad"}`}, "problem+json"},
		{"Unchecked on an unknown path: a problem is fine", "GET", "/v1/nowhere", "", true,
			fake{status: 404, ctype: api.ContentTypeProblem, body: problem(api.CodeNotFound)}, ""},
		{"Unchecked on an unknown path: a success is not", "GET", "/v1/nowhere", "", true,
			fake{status: 200, ctype: "application/json", body: `{}`}, "does not describe"},
		{"a success status the operation does not list", "POST", "/v1/sms-codes", `{"mobile":"13912345678","purpose":"register"}`, false,
			fake{status: 200}, "lists no such status"},
		{"an error that is not problem+json", "GET", "/v1/account", "", false,
			fake{status: 401, ctype: "application/json", body: `{"title":"x","status":401,"code":"unauthenticated"}`}, "problem+json"},
		{"a code outside api.Codes", "GET", "/v1/account", "", false,
			fake{status: 401, ctype: api.ContentTypeProblem, body: `{"title":"x","status":401,"code":"nope"}`}, "does not match"},
		{"an injected 503 anywhere under /v1", "GET", "/v1/account", "", false,
			fake{status: 503, ctype: api.ContentTypeProblem, body: `{"title":"x","status":503,"code":"unavailable","retry_after":1}`}, ""},
		{"no request ID", "GET", "/healthz", "", false,
			fake{status: 200, ctype: "application/json", body: `{"status":"ok"}`, noID: true}, "X-Request-Id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.answer
			srv := httptest.NewServer(&f)
			defer srv.Close()
			rec := &recorder{}
			tr, err := NewTransport(rec, nil)
			if err != nil {
				t.Fatal(err)
			}
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			req, _ := http.NewRequest(tt.method, srv.URL+tt.path, body)
			if tt.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			req.Header.Set("Authorization", "Bearer t")
			if tt.unchecked {
				req = Unchecked(req)
			}
			resp, err := (&http.Client{Transport: tr}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if string(got) != f.body {
				t.Errorf("the caller read %q, the server sent %q", got, f.body)
			}
			if f.got != tt.body {
				t.Errorf("the server received %q, the caller sent %q", f.got, tt.body)
			}
			all := strings.Join(rec.errs, "\n")
			switch {
			case tt.wantErr == "" && len(rec.errs) > 0:
				t.Errorf("reported a mismatch for a conforming exchange:\n%s", all)
			case tt.wantErr != "" && !strings.Contains(all, tt.wantErr):
				t.Errorf("want a report containing %q, got:\n%s", tt.wantErr, all)
			}
		})
	}
}

func TestStartServesTheRealStack(t *testing.T) {
	env := Start(t)

	res := env.Call(t, "GET", "/healthz", "", nil).Want(t, 200)
	if res.Header.Get(api.HeaderRequestID) == "" {
		t.Error("no request ID: the middleware stack is not in place")
	}
	env.Call(t, "GET", "/readyz", "", nil).Want(t, 200)
	if res := env.Call(t, "GET", "/v1/openapi.yaml", "", nil).Want(t, 200); string(res.Body) != string(docs.OpenAPI) {
		t.Error("the server does not serve the embedded docs/openapi.yaml")
	}

	alice := env.RegisterSponsor(t, "alice")
	if alice.Token == "" || alice.Account.Role != api.RoleSponsor || alice.Account.Mobile == "" {
		t.Fatalf("sponsor = %+v", alice)
	}
	var acc api.Account
	env.Call(t, "GET", "/v1/account", alice.Token, nil).Want(t, 200).JSON(t, &acc)
	if acc.ID != alice.Account.ID {
		t.Errorf("GET /v1/account = %+v, want alice", acc)
	}

	rev := env.CreateReviewer(t, "wuhan-reviewer", "4201")
	env.Call(t, "GET", "/v1/account", rev.Token, nil).Want(t, 200).JSON(t, &acc)
	if acc.Role != api.RoleReviewer || acc.AreaPrefix != "4201" {
		t.Errorf("reviewer account = %+v", acc)
	}
	admin := env.CreateAdmin(t, "root-admin")
	env.Call(t, "GET", "/v1/review/queue", admin.Token, nil).Want(t, 200)

	if p := env.Call(t, "GET", "/v1/account", "", nil).Want(t, 401).Problem(t); p.Code != api.CodeUnauthenticated || p.RequestID == "" {
		t.Errorf("anonymous GET /v1/account: %+v", p)
	}
	env.CallUnchecked(t, "GET", "/v1/no-such-route", "", nil).Want(t, 404)

	metrics := string(env.Call(t, "GET", "/metrics", "", nil).Want(t, 200).Body)
	for _, want := range []string{`beian_http_requests_total{route="GET /v1/account",status="200"}`, "beian_review_queue_length 0"} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(env.Logs.String(), alice.Token) || strings.Contains(env.Logs.String(), Password) {
		t.Error("the server log holds a token or a password")
	}
}

func TestStartWithFaults(t *testing.T) {
	env := Start(t, FaultPercent(100))
	p := env.Call(t, "GET", "/v1/openapi.yaml", "", nil).Want(t, 200)
	_ = p
	if pr := env.Call(t, "POST", "/v1/sms-codes", "", api.SMSCodeRequest{Mobile: "13912345678", Purpose: api.SMSRegister}).Want(t, 503).Problem(t); pr.Code != api.CodeUnavailable || pr.RetryAfter != 1 {
		t.Errorf("injected failure: %+v", pr)
	}
	env.Call(t, "GET", "/healthz", "", nil).Want(t, 200)
}

func TestDatabases(t *testing.T) {
	Databases(t, func(t *testing.T, db Option) {
		a := Start(t, db)
		b := Start(t, DSN(a.DSN))
		alice := a.RegisterSponsor(t, "alice")
		// A token issued by one replica works on the other.
		b.Call(t, "GET", "/v1/account", alice.Token, nil).Want(t, 200)
		b.Call(t, "GET", "/readyz", "", nil).Want(t, 200)
	})
}
