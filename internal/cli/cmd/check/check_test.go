package check

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/cli/clitest"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
)

func TestNewCmdCheck(t *testing.T) {
	tests := []struct {
		args    string
		domains []string
		from    string
		wantErr string
	}{
		{args: "a.test b.test", domains: []string{"a.test", "b.test"}},
		{args: "--from list.txt", from: "list.txt"},
		{args: "-f -", from: "-"},
		{args: "", wantErr: "give domains as arguments or with --from FILE"},
		{args: "a.test --from x", wantErr: "not both"},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			var got *Options
			cmd := NewCmdCheck(clitest.NewFactory(ios, nil, output.Options{}), func(_ context.Context, o *Options) error { got = o; return nil })
			cmd.SetArgs(clitest.Args(tt.args))
			cmd.SetErr(ios.ErrOut)
			cmd.SetOut(ios.Out)
			err := cmd.Execute()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || cmdutil.ExitCodeOf(err) != cmdutil.ExitUsage {
					t.Fatalf("err = %v, want usage error %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Domains, tt.domains) && !(len(got.Domains) == 0 && len(tt.domains) == 0) || got.From != tt.from {
				t.Errorf("opts %+v", got)
			}
			if got.BatchSize != api.MaxBatchCheck {
				t.Errorf("batch size %d", got.BatchSize)
			}
		})
	}
}

func TestReadDomains(t *testing.T) {
	got, err := ReadDomains(strings.NewReader("# my domains\nexample.com.cn\n\n  示例.中国  \r\n#x\nb.test"))
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"example.com.cn", "示例.中国", "b.test"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q", got)
	}
}

func TestExitCode(t *testing.T) {
	r := func(ss ...api.DomainStatus) []api.DomainCheck {
		var out []api.DomainCheck
		for _, s := range ss {
			out = append(out, api.DomainCheck{Status: s})
		}
		return out
	}
	tests := []struct {
		in   []api.DomainCheck
		want int
	}{
		{r(api.DomainAvailable, api.DomainAvailable), 0},
		{r(api.DomainAvailable, api.DomainTaken), 6},
		{r(api.DomainYours), 6},
		{r(api.DomainClaimable), 6},
		{r(api.DomainTaken, api.DomainInvalid), 5},
	}
	for _, tt := range tests {
		if got := ExitCode(tt.in); got != tt.want {
			t.Errorf("ExitCode(%v) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func runCheck(t *testing.T, env *clitest.Env, out output.Options, mod func(*Options)) (string, string, error) {
	t.Helper()
	ios, stdin, stdout, stderr := iostreams.Test()
	_ = stdin
	f := env.Factory(ios, out)
	opts := &Options{IO: ios, APIClient: f.APIClient, Output: f.Output, Localizer: f.Localizer, BatchSize: api.MaxBatchCheck, Concurrency: 4}
	mod(opts)
	err := checkRun(context.Background(), opts)
	return stdout.String(), stderr.String(), err
}

func TestCheckAgainstServer(t *testing.T) {
	env := clitest.NewSandbox(t)
	env.FileSite(t, "mine.test", true)

	stdout, _, err := runCheck(t, env, output.Options{Format: output.FormatJSON}, func(o *Options) { o.Domains = []string{"free.test", "mine.test"} })
	if cmdutil.ExitCodeOf(err) != cmdutil.ExitConflict {
		t.Fatalf("err %v, want exit 6", err)
	}
	var res []api.DomainCheck
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("stdout not JSON: %v\n%s", err, stdout)
	}
	if len(res) != 2 || res[0].Status != api.DomainAvailable || res[1].Status != api.DomainYours || res[1].SiteID == "" {
		t.Errorf("results %+v", res)
	}

	_, _, err = runCheck(t, env, output.Options{}, func(o *Options) { o.Domains = []string{"free.test", "bad_domain.com"} })
	if cmdutil.ExitCodeOf(err) != cmdutil.ExitInvalid {
		t.Errorf("invalid: err %v", err)
	}
	stdout, _, err = runCheck(t, env, output.Options{}, func(o *Options) { o.Domains = []string{"free.test"} })
	if err != nil || !strings.HasPrefix(stdout, "free.test\tavailable") {
		t.Errorf("available: %v %q", err, stdout)
	}
}

// More domains than one batch holds are split, sent concurrently and put
// back in order.
func TestCheckBatches(t *testing.T) {
	env := clitest.NewSandbox(t)
	env.FileSite(t, "d0007.test", true)
	var lines []string
	for i := 0; i < 25; i++ {
		lines = append(lines, fmt.Sprintf("d%04d.test", i))
	}
	file := filepath.Join(t.TempDir(), "domains.txt")
	os.WriteFile(file, []byte("# list\n"+strings.Join(lines, "\n")+"\n"), 0o600)
	stdout, _, err := runCheck(t, env, output.Options{JQ: ".[].domain"}, func(o *Options) { o.From = file; o.BatchSize = 4; o.Concurrency = 3 })
	if cmdutil.ExitCodeOf(err) != cmdutil.ExitConflict {
		t.Fatalf("err %v", err)
	}
	if got := strings.Fields(stdout); !reflect.DeepEqual(got, lines) {
		t.Errorf("order lost:\n%q", got)
	}
}

func TestCheckFromStdin(t *testing.T) {
	env := clitest.NewSandbox(t)
	ios, stdin, stdout, _ := iostreams.Test()
	stdin.WriteString("a.test\nb.test\n")
	f := env.Factory(ios, output.Options{JQ: `map(.status) | join(",")`})
	opts := &Options{IO: ios, APIClient: f.APIClient, Output: f.Output, Localizer: f.Localizer, From: "-", BatchSize: 1000, Concurrency: 1}
	if err := checkRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if stdout.String() != "available,available\n" {
		t.Errorf("stdout %q", stdout.String())
	}
}
