package whoami

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/beian-dev/beian/internal/cli/clitest"
	"github.com/beian-dev/beian/internal/cli/cmdutil"
	"github.com/beian-dev/beian/internal/cli/iostreams"
	"github.com/beian-dev/beian/internal/cli/output"
	"github.com/beian-dev/beian/internal/client"
)

func TestWhoami(t *testing.T) {
	env := clitest.NewSandbox(t)
	ios, _, stdout, _ := iostreams.Test()
	f := env.Factory(ios, output.Options{Format: output.FormatJSON})
	opts := &Options{IO: ios, APIClient: f.APIClient, Target: f.Target, Output: f.Output, Localizer: f.Localizer}
	if err := whoamiRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	var id Identity
	if err := json.Unmarshal(stdout.Bytes(), &id); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if id.Login == "" || id.Role != "sponsor" || !id.Sandbox || id.Server != env.Sandbox.BaseURL() {
		t.Errorf("identity %+v", id)
	}
}

func TestWhoamiNotSignedIn(t *testing.T) {
	env := clitest.NewSandbox(t)
	ios, _, _, _ := iostreams.Test()
	f := env.Factory(ios, output.Options{})
	for name, c := range map[string]*client.Client{"no token": env.Anonymous(), "bad token": env.Client.WithToken("nope")} {
		opts := &Options{IO: ios, APIClient: func(context.Context) (*client.Client, error) { return c, nil }, Target: f.Target, Output: f.Output, Localizer: f.Localizer}
		if err := whoamiRun(context.Background(), opts); cmdutil.ExitCodeOf(err) != cmdutil.ExitAuth {
			t.Errorf("%s: %v (exit %d)", name, err, cmdutil.ExitCodeOf(err))
		}
	}
}
