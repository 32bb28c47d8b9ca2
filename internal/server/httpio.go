package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/httpmw"
	"github.com/beian-dev/beian/internal/platform"
	"github.com/beian-dev/beian/internal/store"
)

// Body limits (SPEC §6): JSON requests 1 MiB; attachments and CSV imports
// 10 MiB, the size of the largest approval certificate.
const (
	maxJSONBody   = 1 << 20
	maxUploadBody = platform.MaxAttachmentSize
)

// statusClientClosed is logged for requests whose client went away.
const statusClientClosed = 499

// Pagination bounds: the store's own default and maximum.
const (
	defaultLimit = 50
	maxLimit     = 500
)

func (s *server) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &call{actor: platform.Actor{Addr: clientAddr(r)}}
		if rt.access == signedIn {
			token, ok := bearer(r)
			if !ok {
				s.fail(w, r, api.NewProblem(api.CodeUnauthenticated, "sign in first: send Authorization: Bearer TOKEN"))
				return
			}
			actor, err := s.desk.Authenticate(r.Context(), token)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			actor.Addr = c.actor.Addr
			c.actor, c.token = actor, token
		}
		if err := rt.handle(s, w, r, c); err != nil {
			s.fail(w, r, err)
		}
	})
}

// bearer reads "Authorization: Bearer TOKEN" (the scheme is case-insensitive).
func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// fail writes err as problem+json. Internal errors are logged with the
// request ID and answered with that ID only.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		// The client hung up: nothing failed here and nobody is listening.
		// 499 (nginx's "client closed request") keeps it out of the 5xx
		// counts and the error log.
		s.log.InfoContext(r.Context(), "server: the client closed the request", "request_id", httpmw.RequestIDFrom(r.Context()))
		w.WriteHeader(statusClientClosed)
		return
	}
	p := platform.AsProblem(err)
	if p.Code == api.CodeInternal {
		s.log.ErrorContext(r.Context(), "server: internal error", "err", err, "request_id", httpmw.RequestIDFrom(r.Context()))
	}
	writeProblem(w, r, p)
}

func writeProblem(w http.ResponseWriter, r *http.Request, p *api.Problem) {
	q := *p // problems may be shared values: never write the request ID into them
	q.RequestID = httpmw.RequestIDFrom(r.Context())
	if q.RequestID == "" {
		q.RequestID = w.Header().Get(api.HeaderRequestID)
	}
	if q.Status == 0 {
		q.Status = q.Code.Status()
	}
	if q.Instance == "" {
		q.Instance = r.URL.Path
	}
	if q.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(q.RetryAfter))
	}
	if q.Code == api.CodeUnauthenticated || q.Code == api.CodeTokenExpired {
		w.Header().Set("WWW-Authenticate", `Bearer realm="beian"`)
	}
	body, _ := json.Marshal(q)
	w.Header().Set("Content-Type", api.ContentTypeProblem)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(q.Status)
	_, _ = w.Write(body)
}

// writeJSON answers status with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	writeRaw(w, status, body)
	return nil
}

func writeRaw(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	if w.Header().Get("Cache-Control") == "" {
		w.Header().Set("Cache-Control", "no-store")
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// setETag sends a record's version as its entity tag: "3".
func setETag(w http.ResponseWriter, version int) {
	w.Header().Set("ETag", strconv.Quote(strconv.Itoa(version)))
}

// ifMatch reads If-Match as a version: 0 when absent. A value that names no
// version of ours (or "*") can never match the current one.
func ifMatch(r *http.Request) (int, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" {
		return 0, nil
	}
	if strings.HasPrefix(h, "W/") {
		// If-Match compares strongly (RFC 9110 §13.1.1): a weak tag never
		// matches, and ours are never weak.
		return 0, api.NewProblem(api.CodeVersionConflict, "If-Match takes the strong ETag you read, such as \"3\", not a weak W/ one")
	}
	if uq, err := strconv.Unquote(h); err == nil {
		h = uq
	}
	v, err := strconv.Atoi(h)
	if err != nil || v <= 0 {
		return 0, api.NewProblem(api.CodeVersionConflict, "If-Match must be the ETag you read, such as \"3\"")
	}
	return v, nil
}

// page reads limit and cursor.
func page(r *http.Request) (store.Page, error) {
	q := r.URL.Query()
	p := store.Page{Limit: defaultLimit, Cursor: q.Get("cursor")}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > maxLimit {
			return p, api.Invalid([]api.FieldError{{Field: "limit", Code: "limit_invalid", Message: fmt.Sprintf("a number from 1 to %d", maxLimit)}})
		}
		p.Limit = n
	}
	return p, nil
}

// boolParam reads a query flag: true/false/1/0, absent = false.
func boolParam(r *http.Request, name string) (bool, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, api.Invalid([]api.FieldError{{Field: name, Code: "type_invalid", Message: "true or false"}})
	}
	return b, nil
}

// readBody reads a request body of at most limit bytes after checking its
// media type against the accepted ones.
func readBody(w http.ResponseWriter, r *http.Request, limit int64, accept ...string) ([]byte, error) {
	if len(accept) > 0 {
		mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		ok := false
		for _, a := range accept {
			ok = ok || (err == nil && mt == a)
		}
		if !ok {
			return nil, api.NewProblem(api.CodeUnsupportedMediaType, "send the body as "+strings.Join(accept, " or "))
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, api.NewProblem(api.CodeBodyTooLarge, fmt.Sprintf("the body may be at most %d bytes", limit))
	}
	if err != nil {
		return nil, api.NewProblem(api.CodeMalformedRequest, "the body could not be read")
	}
	return body, nil
}

// decode reads a JSON body into v (a pointer to a request struct). It checks
// the whole document against v's type first, so that every unknown field
// and every value of the wrong type is reported at once with its path
// ("site.foo": unknown_field, "site.commercial": type_invalid), then decodes.
func decode(w http.ResponseWriter, r *http.Request, v any) ([]byte, error) {
	body, err := readBody(w, r, maxJSONBody, "application/json")
	if err != nil {
		return nil, err
	}
	if err := decodeBytes(body, v); err != nil {
		return nil, err
	}
	return body, nil
}

func decodeBytes(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return malformed(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return api.NewProblem(api.CodeMalformedRequest, "the body holds more than one JSON value")
	}
	if _, ok := doc.(map[string]any); !ok {
		return api.NewProblem(api.CodeMalformedRequest, "the body must be a JSON object")
	}
	if errs := checkShape("", doc, reflect.TypeOf(v).Elem()); len(errs) > 0 {
		return api.Invalid(errs)
	}
	if err := json.Unmarshal(body, v); err != nil {
		// The shape check passed, so this is a value a type rejects
		// itself (a time that is not RFC 3339, say).
		return api.Invalid([]api.FieldError{{Field: jsonErrorField(err), Code: "type_invalid", Message: err.Error()}})
	}
	return nil
}

func malformed(err error) *api.Problem {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return api.NewProblem(api.CodeMalformedRequest, fmt.Sprintf("the body is not valid JSON (at byte %d): %v", se.Offset, se))
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return api.NewProblem(api.CodeMalformedRequest, "the body is empty or cut short; send a JSON object")
	}
	return api.NewProblem(api.CodeMalformedRequest, "the body is not valid JSON")
}

func jsonErrorField(err error) string {
	var ute *json.UnmarshalTypeError
	if errors.As(err, &ute) {
		return ute.Field
	}
	return ""
}

var (
	timeType            = reflect.TypeFor[time.Time]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// checkShape compares a decoded JSON value with the Go type it must fill.
func checkShape(path string, v any, t reflect.Type) []api.FieldError {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if v == nil {
		return nil // null leaves the zero value
	}
	wrong := func(want string) []api.FieldError {
		return []api.FieldError{{Field: path, Code: "type_invalid", Message: "must be " + want + ", got " + jsonKind(v)}}
	}
	if t == timeType || reflect.PointerTo(t).Implements(textUnmarshalerType) {
		if _, ok := v.(string); !ok {
			return wrong("a string")
		}
		return nil
	}
	switch t.Kind() {
	case reflect.String:
		if _, ok := v.(string); !ok {
			return wrong("a string")
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			return wrong("true or false")
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, ok := v.(json.Number)
		if !ok {
			return wrong("an integer")
		}
		if _, err := strconv.ParseInt(string(n), 10, 64); err != nil {
			return wrong("an integer")
		}
	case reflect.Float32, reflect.Float64:
		if _, ok := v.(json.Number); !ok {
			return wrong("a number")
		}
	case reflect.Slice, reflect.Array:
		items, ok := v.([]any)
		if !ok {
			return wrong("a list")
		}
		var errs []api.FieldError
		for i, it := range items {
			errs = append(errs, checkShape(fmt.Sprintf("%s[%d]", path, i), it, t.Elem())...)
		}
		return errs
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			return wrong("an object")
		}
		var errs []api.FieldError
		for _, k := range sortedKeys(m) {
			errs = append(errs, checkShape(join(path, k), m[k], t.Elem())...)
		}
		return errs
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return wrong("an object")
		}
		fields := jsonFields(t)
		var errs []api.FieldError
		for _, k := range sortedKeys(m) {
			ft, ok := fields[k]
			if !ok {
				errs = append(errs, api.FieldError{Field: join(path, k), Code: "unknown_field", Message: "no such field"})
				continue
			}
			errs = append(errs, checkShape(join(path, k), m[k], ft)...)
		}
		return errs
	case reflect.Interface:
		return nil
	}
	return nil
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

func sortedKeys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// jsonFields maps the JSON names of t's fields (embedded structs flattened)
// to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for k, v := range jsonFields(ft) {
					out[k] = v
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

func jsonKind(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return "null"
}

// requestHash identifies a keyed request: the same Idempotency-Key with
// another method, path, query or body is a different request.
func requestHash(r *http.Request, body []byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n%s\n", r.Method, r.URL.Path, r.URL.RawQuery)
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// keyed runs a POST that creates or submits under its Idempotency-Key and
// writes the (first) answer.
func (s *server) keyed(w http.ResponseWriter, r *http.Request, c *call, body []byte,
	fn func(ctx context.Context, d *platform.Desk) (int, any, error)) error {
	key := strings.TrimSpace(r.Header.Get(api.HeaderIdempotencyKey))
	status, raw, err := s.desk.Idempotent(r.Context(), c.actor, key, requestHash(r, body), func(d *platform.Desk) (int, any, error) {
		return fn(r.Context(), d)
	})
	if err != nil {
		return err
	}
	if v, ok := versionOf(raw); ok {
		setETag(w, v)
	}
	writeRaw(w, status, raw)
	return nil
}

// versionOf reads the version of a stored answer, for its ETag.
func versionOf(raw []byte) (int, bool) {
	var v struct {
		Version int `json:"version"`
	}
	if json.Unmarshal(raw, &v) != nil || v.Version == 0 {
		return 0, false
	}
	return v.Version, true
}

// unmatched answers requests no route matched: 405 with Allow when the
// path exists under another method, else 404.
func (s *server) unmatched(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete} {
		if m == r.Method {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != "/" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		if contains(allow, http.MethodGet) {
			allow = append(allow, http.MethodHead)
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeProblem(w, r, api.NewProblem(api.CodeMethodNotAllowed, r.Method+" is not allowed here"))
		return
	}
	writeProblem(w, r, api.NewProblem(api.CodeNotFound, "no such resource"))
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
