//go:build linux || darwin || freebsd || netbsd || openbsd

package ptytest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beian-dev/beian/internal/filing/filingtest"
)

// The README's main command on a fresh machine: `beian file` with nothing
// configured files into the local sandbox — the hosting subject first, as
// the new account has none — and waits for the sandbox's review; `status`
// and `badge` then show the recorded site.
func TestFirstFilingInTheSandbox(t *testing.T) {
	home := t.TempDir()
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"BEIAN_CONFIG_DIR=" + filepath.Join(home, "config"),
		"XDG_STATE_HOME=" + filepath.Join(home, "state"),
		"XDG_DATA_HOME=" + filepath.Join(home, "data"),
		"LANG=en_US.UTF-8",
		"TERM=xterm-256color",
		"NO_COLOR=1",
	}
	subject := filingtest.IndividualSubject()
	tm := start(t, env, "file", "--wait")
	tm.expect("nothing is filed with any authority")

	page := func(titles ...string) {
		for _, title := range titles {
			tm.expect(title)
		}
	}
	page("has no hosting subject yet", "Kind of subject")
	tm.send(arrowDown + enter) // individual
	page("Name of the unit or person", "Certificate type", "Certificate number")
	tm.send(subject.Name + enter)
	tm.send(enter) // resident identity card
	tm.send(subject.CertNumber + enter)
	tm.answer("Contact address: province", "湖北"+enter) // a person has no office
	tm.answer("Contact address: city", "武汉"+enter)
	tm.answer("Contact address: county or district", "江岸"+enter)
	page("Contact address, to the house number", "Office phone", "Mobile", "Email", "Remarks") // a person has no office
	tm.send(subject.OfficeAddress.Detail + enter)
	tm.send(enter)
	tm.send(subject.Mobile + enter)
	tm.send(subject.Email + enter)
	tm.send(enter)
	page("Responsible person", "ID valid until")
	tm.send(enter + enter + enter) // the individual is their own responsible person
	tm.send("long_term" + enter)
	tm.answer("Resident address of the responsible person: province", "湖北"+enter)
	tm.answer("Resident address of the responsible person: city", "武汉"+enter)
	tm.answer("Resident address of the responsible person: county or district", "江岸"+enter)
	page("Resident address, to the house number", "Email", "Remarks")
	tm.send(subject.Responsible.ResidentAddress.Detail + enter)
	tm.send(enter + enter + enter + enter)

	fileTheSite(tm, "sandbox-example.cn", false)
	tm.expect("Hosting subject") // the summary shows the subject too
	confirmAndSubmit(tm)
	tm.expect("hosting subject was submitted for review")
	tm.expect("recorded")
	if code := tm.wait(); code != 0 {
		t.Fatalf("beian file --wait exited %d", code)
	}

	code, out, errOut := run(t, env, "status", "sandbox-example.cn", "--output", "json")
	if code != 0 {
		t.Fatalf("status exited %d: %s", code, errOut)
	}
	var st struct {
		State        string `json:"state"`
		RecordNumber string `json:"record_number"`
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil || st.State != "recorded" || !strings.HasPrefix(st.RecordNumber, "鄂公网安备 420102") {
		t.Fatalf("status: %v %+v\n%s", err, st, out)
	}
	code, out, errOut = run(t, env, "badge", "sandbox-example.cn")
	if code != 0 || !strings.Contains(out, st.RecordNumber) || !strings.Contains(out, "<a ") {
		t.Errorf("badge exited %d:\n%s%s", code, out, errOut)
	}
}
