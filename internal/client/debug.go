package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// tracer writes every request and response to w for --debug. Secrets never
// reach the trace: the Authorization header shows only its scheme, and the
// values of password, token and code fields in JSON bodies are replaced.
type tracer struct {
	next http.RoundTripper
	w    io.Writer
	mu   sync.Mutex
}

// secretFields are JSON keys whose values are never traced.
var secretFields = map[string]bool{
	"password": true, "new_password": true, "token": true, "sms_code": true,
}

const redacted = "[REDACTED]"

func (t *tracer) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil && req.GetBody != nil {
		if rc, err := req.GetBody(); err == nil {
			reqBody, _ = io.ReadAll(rc)
			rc.Close()
		}
	}
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	var b strings.Builder
	fmt.Fprintf(&b, "> %s %s\n", req.Method, req.URL.String())
	writeHeaders(&b, "> ", req.Header)
	if len(reqBody) > 0 {
		fmt.Fprintf(&b, ">\n%s\n", redactBody(reqBody, req.Header.Get("Content-Type")))
	}
	if err != nil {
		fmt.Fprintf(&b, "< error after %s: %v\n", time.Since(start).Round(time.Millisecond), err)
	} else {
		fmt.Fprintf(&b, "< %s %s (%s)\n", resp.Proto, resp.Status, time.Since(start).Round(time.Millisecond))
		writeHeaders(&b, "< ", resp.Header)
		if resp.Body != nil {
			body, rerr := io.ReadAll(resp.Body)
			resp.Body.Close()
			resp.Body = io.NopCloser(bytes.NewReader(body))
			if rerr == nil && len(body) > 0 {
				fmt.Fprintf(&b, "<\n%s\n", redactBody(body, resp.Header.Get("Content-Type")))
			}
		}
	}
	t.mu.Lock()
	_, _ = io.WriteString(t.w, b.String()) // tracing must never fail a request
	t.mu.Unlock()
	return resp, err
}

func writeHeaders(b *strings.Builder, prefix string, h http.Header) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			if strings.EqualFold(k, "Authorization") || strings.EqualFold(k, "Cookie") || strings.EqualFold(k, "Set-Cookie") {
				scheme, _, _ := strings.Cut(v, " ")
				v = scheme + " " + redacted
			}
			fmt.Fprintf(b, "%s%s: %s\n", prefix, k, v)
		}
	}
}

// redactBody shows JSON with secret values replaced, other text as is (cut
// at 4 KiB), and binary bodies (attachments) only by their size.
func redactBody(body []byte, contentType string) string {
	if strings.Contains(contentType, "json") {
		var v any
		if err := json.Unmarshal(body, &v); err == nil {
			redactValue(v)
			out, _ := json.Marshal(v)
			return string(out)
		}
	}
	if strings.HasPrefix(contentType, "text/") || strings.Contains(contentType, "yaml") {
		if len(body) > 4096 {
			return string(body[:4096]) + "…"
		}
		return string(body)
	}
	return fmt.Sprintf("[%d bytes of %s]", len(body), contentType)
}

func redactValue(v any) {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if secretFields[strings.ToLower(k)] {
				t[k] = redacted
				continue
			}
			redactValue(x)
		}
	case []any:
		for _, x := range t {
			redactValue(x)
		}
	}
}
