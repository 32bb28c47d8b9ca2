package verify

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/client"
	"github.com/beian-dev/beian/internal/filing/filingtest"
	"github.com/beian-dev/beian/internal/footer"
	"github.com/beian-dev/beian/internal/i18n"
	"github.com/beian-dev/beian/internal/server/servertest"
)

const (
	legacySnippet = `<html><head><title>示例</title></head><body><main>新闻 产品 关于我们</main>
<div style="width:300px;margin:0 auto; padding:20px 0;">
 <a target="_blank" href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode={code}" style="display:inline-block;text-decoration:none;height:20px;line-height:20px;"><img src="/ghs.png" style="float:left;"/><p style="float:left;height:20px;line-height:20px;margin: 0px 0px 0px 5px; color:#939393;">{number}</p></a>
</div></body></html>`
	currentSnippet = `<!doctype html><body><article>欢迎</article><footer><img src="/beian-icon.png"><a href="https://beian.mps.gov.cn/#/query/webSearch?code={code}" rel="noreferrer" target="_blank">{number}</a>
<a href="https://beian.miit.gov.cn/" target="_blank">鄂ICP备17001107号-1</a></footer></body>`
	headerBadge = `<body><header><a href="https://beian.mps.gov.cn/#/query/webSearch?code={code}"><img src="/i.png">{number}</a></header><main>{filler}</main></body>`
	noBadge     = `<body><main>我们的网站</main><footer>© 2024 示例公司</footer></body>`
)

// homepage serves page with the record's number filled in.
func homepage(page, number, code string) http.HandlerFunc {
	body := strings.NewReplacer("{number}", number, "{code}", code, "{filler}", strings.Repeat("正文。", 300)).Replace(page)
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(body))
	}
}

// recorded is a real filing server holding one recorded site of domain,
// and the site's record number.
func recorded(t *testing.T, domain string, extra ...string) (*servertest.Env, string) {
	t.Helper()
	ctx := context.Background()
	env := servertest.Start(t)
	u := env.RegisterSponsor(t, "verify-sponsor")
	c, err := client.New(client.Options{BaseURL: env.URL, Token: u.Token})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutSubject(ctx, api.SubjectWrite{Subject: filingtest.Subject()}, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SubmitSubject(ctx); err != nil {
		t.Fatal(err)
	}
	site := filingtest.Site(domain)
	site.ExtraDomains = extra
	rec, err := c.CreateSite(ctx, api.SiteWrite{Site: site}, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SubmitSite(ctx, rec.ID); err != nil {
		t.Fatal(err)
	}
	rv := env.CreateReviewer(t, "verify-reviewer", "42")
	rc := c.WithToken(rv.Token)
	if _, err := rc.ApproveSubject(ctx, u.Account.ID); err != nil {
		t.Fatal(err)
	}
	done, err := rc.ApproveSite(ctx, rec.ID)
	if err != nil || done.RecordNumber == "" {
		t.Fatalf("%+v %v", done, err)
	}
	return env, done.RecordNumber
}

// run runs verify on sites, every host answered by 127.0.0.1:port of the
// server named in hosts, and returns the results and the exit code.
func run(t *testing.T, register string, hosts map[string]string, o func(*Options), sites ...string) ([]Result, int) {
	t.Helper()
	ios, _, out, _ := iostreams.Test()
	opts := &Options{
		IO:     ios,
		Output: func() (output.Options, error) { return output.Options{Format: output.FormatJSON}, nil },
		AnonymousClient: func(context.Context) (*client.Client, error) {
			return client.New(client.Options{BaseURL: register})
		},
		Localizer: func() *i18n.Localizer { return i18n.New(i18n.EN) },
		Getenv:    func(string) string { return "" },
		Sites:     sites, Timeout: 5 * time.Second, MaxRedirects: 5, MaxBytes: 2 << 20, Parallel: 4,
		dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, _ := net.SplitHostPort(addr)
			if to, ok := hosts[host]; ok {
				addr = to
			}
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
	}
	if register == "" {
		opts.NoLookup = true
	}
	if o != nil {
		o(opts)
	}
	err := verifyRun(context.Background(), opts)
	var res []Result
	if jerr := json.Unmarshal(out.Bytes(), &res); jerr != nil {
		t.Fatalf("%v: %s", jerr, out)
	}
	return res, cmdutil.ExitCodeOf(err)
}

func serve(t *testing.T, h http.Handler) string {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return strings.TrimPrefix(s.URL, "http://")
}

// Real-world footer shapes on real HTTP servers, each with its verdict,
// the number looked up on a real filing server's public register.
func TestVerifyFooters(t *testing.T) {
	// The record's domains: the site and the hosts of the pages that show
	// its number (other-example.cn is not one).
	var extra []string
	for _, n := range []string{"legacy", "current", "header", "none", "wronglink", "notrecord", "othersite", "notfound", "notHTML"} {
		extra = append(extra, strings.ToLower(n)+".verify-example.cn")
	}
	env, number := recorded(t, "verify-example.cn", extra...)
	code := strings.TrimSuffix(strings.Fields(number)[1], "号")
	mux := map[string]http.Handler{
		"legacy":    homepage(legacySnippet, number, code),
		"current":   homepage(currentSnippet, strings.ReplaceAll(strings.TrimSuffix(number, "号"), " ", ""), code),
		"header":    homepage(headerBadge, number, code),
		"none":      homepage(noBadge, "", ""),
		"wronglink": homepage(currentSnippet, number, "11010802020134"),
		"notrecord": homepage(currentSnippet, "京公网安备 11010802020134号", "11010802020134"),
		"othersite": homepage(legacySnippet, number, code),
		"notfound":  http.NotFoundHandler(),
		"notHTML": http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "image/png")
			_, _ = w.Write([]byte("\x89PNG"))
		}),
	}
	hosts := map[string]string{}
	var sites []string
	for name, h := range mux {
		host := name + ".verify-example.cn"
		if name == "othersite" {
			host = "other-example.cn"
		}
		host = strings.ToLower(host)
		hosts[host] = serve(t, h)
		sites = append(sites, "http://"+host+"/")
	}
	// the site of the record itself, by its domain: HTTPS fails, HTTP answers
	hosts["verify-example.cn"] = serve(t, homepage(legacySnippet, number, code))
	sites = append(sites, "verify-example.cn")

	res, exit := run(t, env.URL, hosts, nil, sites...)
	want := map[string]footer.Verdict{
		"legacy": footer.OK, "current": footer.OK, "header": footer.Incomplete, "none": footer.Missing,
		"wronglink": footer.Wrong, "notrecord": footer.Wrong, "othersite": footer.Wrong,
		"notfound": footer.Unreachable, "notHTML": footer.Unreachable,
	}
	for _, r := range res {
		name := strings.TrimSuffix(strings.TrimPrefix(r.Site, "http://"), ".verify-example.cn/")
		if name == "nothtml" {
			name = "notHTML"
		}
		if r.Site == "http://other-example.cn/" {
			name = "othersite"
		}
		if r.Site == "verify-example.cn" {
			if r.Verdict != footer.OK || !strings.HasPrefix(r.URL, "http://verify-example.cn") {
				t.Errorf("the record's own site: %+v", r)
			}
			continue
		}
		if r.Verdict != want[name] {
			t.Errorf("%s: %s (%v %s), want %s", name, r.Verdict, r.Problems, r.Error, want[name])
		}
	}
	if exit != ExitWrong {
		t.Errorf("exit %d, want %d (a wrong number wins)", exit, ExitWrong)
	}
	for _, r := range res {
		switch r.Site {
		case "http://other-example.cn/":
			if !strings.Contains(strings.Join(r.Problems, ";"), "is the record of verify-example.cn") {
				t.Errorf("other site: %v", r.Problems)
			}
		case "http://header.verify-example.cn/":
			if !strings.Contains(strings.Join(r.Problems, ";"), "at the top of the page") {
				t.Errorf("header: %v", r.Problems)
			}
		case "http://current.verify-example.cn/":
			if r.Page.ICP != "鄂ICP备17001107号-1" || !r.Page.ICPLink {
				t.Errorf("ICP: %+v", r.Page)
			}
		}
	}
}

// A redirect loop, a 10 MB page and a slow server are each named, and
// nothing waits past the timeout.
func TestVerifyHostileServers(t *testing.T) {
	loop := http.NewServeMux()
	loop.HandleFunc("/a", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/b", http.StatusFound) })
	loop.HandleFunc("/b", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/a", http.StatusFound) })
	chain := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := len(r.URL.Path)
		http.Redirect(w, r, r.URL.Path+"x", http.StatusFound)
		_ = n
	})
	big := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		chunk := []byte(strings.Repeat("<p>填充内容</p>", 1000))
		for written := 0; written < 10<<20; written += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(10 * time.Second):
		case <-r.Context().Done():
		}
	})
	hosts := map[string]string{"loop.test": serve(t, loop), "chain.test": serve(t, chain), "big.test": serve(t, big), "slow.test": serve(t, slow)}
	start := time.Now()
	res, exit := run(t, "", hosts, func(o *Options) { o.Timeout = time.Second },
		"http://loop.test/a", "http://chain.test/", "http://big.test/", "http://slow.test/", "http://down.test:1/")
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("took %s with a 1s timeout", took)
	}
	for i, want := range []string{"redirect loop", "more than 5 redirects", "over 2097152 bytes", "no answer within 1s", "cannot connect"} {
		if res[i].Verdict != footer.Unreachable || !strings.Contains(res[i].Error, want) {
			t.Errorf("%s: %s %q, want %q", res[i].Site, res[i].Verdict, res[i].Error, want)
		}
	}
	if exit != ExitUnreachable {
		t.Errorf("exit %d", exit)
	}
}

// Every badge right: exit 0; --record decides the number without the
// register.
func TestVerifyRecordFlag(t *testing.T) {
	hosts := map[string]string{"a.test": serve(t, homepage(legacySnippet, "京公网安备 11010802020134号", "11010802020134"))}
	res, exit := run(t, "", hosts, func(o *Options) { o.Record = "京公网安备11010802020134" }, "http://a.test/")
	if exit != 0 || res[0].Verdict != footer.OK {
		t.Fatalf("exit %d %+v", exit, res)
	}
	_, exit = run(t, "", hosts, func(o *Options) { o.Record = "京公网安备 11010802020135号" }, "http://a.test/")
	if exit != ExitWrong {
		t.Fatalf("another --record: exit %d", exit)
	}
}
