//go:build linux || darwin || freebsd || netbsd || openbsd

package ptytest

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/area"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/filing/filingtest"
)

// fileTheSite types the site pages of `beian file` for domain on a full-screen
// form. With refusals it first makes the mistakes a person makes — a domain
// another subject holds, one this account already filed, a host below the
// first-level domain, a launch date in the future — and corrects each in
// place. Areas are chosen by typing to filter: the access provider's by
// code, the registrar's by name.
//
// A page is drawn whole when it appears and then only where it changes, so
// each page's titles are awaited together before anything is typed into it.
func fileTheSite(tm *terminal, domain string, refusals bool) {
	page := func(titles ...string) {
		for _, title := range titles {
			tm.expect(title)
		}
	}
	page("Site name", "first-level domain of its own")
	tm.send("PTY Test Site" + enter)
	tm.send("y")

	page("Primary domain", "Other domains")
	if refusals {
		tm.send("taken-example.cn" + enter)
		tm.expect("already filed by another subject")
		tm.send(ctrlU + "yours-example.cn" + enter)
		tm.expect("You have already applied for the registration of this domain name")
		tm.send(ctrlU + "www." + domain + enter)
		tm.expect("not a first-level domain")
		tm.send(ctrlU)
	}
	tm.send(domain + enter)
	tm.send(enter)

	page("IP addresses", "Launch date", "MIIT ICP number")
	tm.send("223.5.5.5" + enter)
	if refusals {
		tm.send("2099-01-01" + enter)
		tm.expect("the date is in the future")
		tm.send(ctrlU)
	}
	tm.send("2024-03-01" + enter)
	tm.send(enter)
	fileTheRest(tm, domain)
}

// fileTheRest answers the site's pages from the access provider on.
func fileTheRest(tm *terminal, domain string) { fileTheRestWith(tm, domain, "") }

// fileTheRestWith is fileTheRest for a site in an important field (national
// affairs) when cert, the path of its approval certificate, is given.
func fileTheRestWith(tm *terminal, domain, cert string) {
	fileTheProvider(tm)
	page := func(titles ...string) {
		for _, title := range titles {
			tm.expect(title)
		}
	}
	page("Domain registrar", "Name", "Where is it?")
	tm.send("Example Registrar Co" + enter)
	tm.send(enter)
	tm.answer("Domain registrar: province", "湖北"+enter)
	tm.answer("Domain registrar: city", "武汉"+enter)
	tm.answer("Domain registrar: county or district", "洪山"+enter)
	fileTheServices(tm, "ops@"+domain, cert)
}

// fileTheProvider answers the access provider's pages.
func fileTheProvider(tm *terminal) {
	for _, title := range []string{"Network access provider", "Name", "Where is it?", "Access method", "Provider's phone"} {
		tm.expect(title)
	}
	tm.send("Example Cloud Co" + enter)
	tm.send(enter)
	tm.send(enter)
	tm.send("0571-86543210" + enter)
	// The county's full code at the province (issue 10): the city and
	// county pages then open on 杭州市 and 西湖区, confirmed with Enter.
	tm.answer("Access provider: province", "330106"+enter)
	tm.answer("Access provider: city", enter)
	tm.answer("Access provider: county or district", enter)
}

// fileTheServices answers the pages from the site's services to its
// emergency contact, whose email is email.
func fileTheServices(tm *terminal, email, cert string) {
	page := func(titles ...string) {
		for _, title := range titles {
			tm.expect(title)
		}
	}
	page("commercial", "Services the site offers", "offer interactive services?", "Important field")
	tm.send("n")
	tm.send(enter)
	tm.send("n")
	if cert != "" {
		tm.send(down) // national affairs, after "none"
	}
	tm.send(enter)
	if cert != "" {
		tm.answer("Approval certificate files", cert+enter)
	}
	tm.answer("Prior approvals", enter)
	tm.answer("Languages of the site", enter)
	for _, role := range []string{"Site owner", "Information-security officer", "Public-opinion guide"} {
		page(role, "Same as the subject's responsible person")
		tm.send("y")
	}
	page("24-hour emergency contact", "Name", "Mobile", "Office phone", "Email")
	tm.send("Wang Emergency" + enter)
	tm.send("13700137000" + enter)
	tm.send(enter)
	tm.send(email + enter)
}

// confirmAndSubmit answers the review page and the responsibility notice.
func confirmAndSubmit(tm *terminal) {
	tm.expect("key field")
	tm.answer("What now?", enter) // "Submit for review" is preselected
	tm.answer("I have read and accept the security responsibility notice", "y")
}

func TestFileOnATerminal(t *testing.T) {
	srv := newFilingServer(t)
	srv.Start()
	other := filingtest.IndividualSubject()
	them, _ := srv.sponsor("pty-them", &other)
	if _, err := srv.Desk.CreateSite(t.Context(), them, siteWrite(publicSite("taken-example.cn")), false); err != nil {
		t.Fatal(err)
	}
	submitLast(t, srv, them)
	subject := filingtest.Subject()
	me, token := srv.sponsor("pty-me", &subject)
	if _, err := srv.Desk.CreateSite(t.Context(), me, siteWrite(publicSite("yours-example.cn")), false); err != nil {
		t.Fatal(err)
	}

	tm := start(t, beianEnv(t, t.TempDir(), srv.URL, token), "file")
	fileTheSite(tm, "pty-example.cn", true)
	confirmAndSubmit(tm)
	tm.expect("submitted for review")
	if code := tm.wait(); code != 0 {
		t.Fatalf("beian file exited %d", code)
	}

	got := srv.sites(me, "pty-example.cn")
	if len(got) != 1 {
		t.Fatalf("%d sites with pty-example.cn, want 1", len(got))
	}
	s := got[0]
	if s.State != filing.StateUnderReview {
		t.Errorf("state %s", s.State)
	}
	if s.Site.AccessProvider.AreaCode != "330106" || s.Site.Registrar.AreaCode != "420111" {
		t.Errorf("areas: access %s registrar %s", s.Site.AccessProvider.AreaCode, s.Site.Registrar.AreaCode)
	}
	if s.Site.LaunchDate != "2024-03-01" || s.Site.Name != "PTY Test Site" || s.Site.IPAddresses[0] != "223.5.5.5" {
		t.Errorf("site: %+v", s.Site)
	}
	if s.Site.Owner.IDNumber != filingtest.ResponsibleID {
		t.Errorf("owner not filled in from the responsible person: %+v", s.Site.Owner)
	}
	if !s.Late {
		t.Error("launched 2024-03-01: the filing should be recorded as late")
	}
}

// The same filing in accessible mode (plain line prompts for screen
// readers): numbered choices, and a wrong identity number refused and
// asked again.
func TestFileAccessible(t *testing.T) {
	srv := newFilingServer(t)
	srv.Start()
	subject := filingtest.Subject()
	me, token := srv.sponsor("pty-reader", &subject)

	tm := start(t, beianEnv(t, t.TempDir(), srv.URL, token, "BEIAN_ACCESSIBLE=1"), "file")
	line := func(prompt, reply string) { tm.answer(prompt, reply+"\r") }
	line("Site name", "Accessible Site")
	line("first-level domain of its own", "n")
	line("Homepage URL or IP address", "https://blog.example.net/reader/")
	line("IP addresses", "223.5.5.5, 2400:3200::1")
	line("Launch date", time.Now().Format("2006-01-02"))
	line("MIIT ICP number", "")
	line("Name", "Example Cloud Co")
	line("Where is it?", "1")
	line("Access method", "4")
	line("Provider's phone", "95187")
	line("Access provider: province", strconv.Itoa(index(area.Provinces(), "330000")))
	line("Access provider: city", strconv.Itoa(index(area.Cities("33"), "330100")))
	line("Access provider: county or district", strconv.Itoa(index(area.Counties("3301"), "330106")))
	line("commercial", "n")
	line("Services the site offers", "0")
	line("offer interactive services?", "y")
	line("Important field", "1")
	tm.expect("Which interactive services?")
	line("Enter a number", "1") // forum
	line("Enter a number", "0")
	line("Prior approvals", "0")
	line("Languages of the site", "0") // Simplified Chinese is preselected
	line("Same as the subject's responsible person", "")
	line("Same as the subject's responsible person", "n")
	line("Name", "Zhao Officer")
	line("Identity document", "1")
	line("Identity document number", "420111199206154561") // wrong check digit
	tm.expect("check character of the resident identity number is wrong")
	tm.send(filingtest.OfficerID + "\r")
	line("Mobile", "13600136000")
	line("Office phone", "")
	line("Email", "zhao@example.net")
	line("Same as the subject's responsible person", "y")
	line("Name", "Wang Emergency")
	line("Mobile", "13700137000")
	line("Office phone", "")
	line("Email", "ops@example.net")
	tm.expect("key field")
	line("What now?", "1")
	line("I have read and accept", "y")
	tm.expect("submitted for review")
	if code := tm.wait(); code != 0 {
		t.Fatalf("beian file exited %d", code)
	}
	got := srv.sites(me, "")
	if len(got) != 1 {
		t.Fatalf("%d sites, want 1", len(got))
	}
	s := got[0].Site
	if s.HomepageURL == "" || s.HasPrimaryDomain || s.AccessProvider.AreaCode != "330106" || s.AccessProvider.AccessMethod != filing.AccessCloud {
		t.Errorf("site: %+v", s)
	}
	if !s.Interactive || !slices.Equal(s.InteractiveServices, []filing.InteractiveService{filing.InteractiveForum}) {
		t.Errorf("interactive: %v %v", s.Interactive, s.InteractiveServices)
	}
	if s.SecurityOfficer.Name != "Zhao Officer" || s.SecurityOfficer.IDNumber != filingtest.OfficerID || s.Owner.IDNumber != filingtest.ResponsibleID {
		t.Errorf("people: owner %+v officer %+v", s.Owner, s.SecurityOfficer)
	}
}

// Ctrl-C in the middle of the form exits 2 and keeps what was typed.
func TestCtrlCKeepsTheAnswers(t *testing.T) {
	srv := newFilingServer(t)
	srv.Start()
	subject := filingtest.Subject()
	_, token := srv.sponsor("pty-quitter", &subject)
	home := t.TempDir()
	env := beianEnv(t, home, srv.URL, token)
	tm := start(t, env, "file")
	tm.expect("first-level domain of its own")
	tm.send("Half Typed Site" + enter)
	tm.send("y")
	tm.expect("Other domains")
	tm.send("half-typed.cn" + enter)
	tm.send(enter)
	tm.expect("IP addresses")
	// Typed on the page but not confirmed with Enter: kept all the same
	// (issue 10: Ctrl-C used to lose the page on the screen).
	tm.send("220.181.38.148") // send waits for the page to redraw it
	tm.send(ctrlC)
	tm.expect("beian file --resume")
	if code := tm.wait(); code != 2 {
		t.Fatalf("exit %d after Ctrl-C, want 2", code)
	}
	id := resumeID(t, tm.screen())
	code, out, errOut := run(t, env, "file", "--resume", id)
	// Without a terminal the unfinished form cannot be asked: the flag is named.
	if code != 3 || !strings.Contains(errOut, "--from FILE") {
		t.Errorf("resume without a terminal: exit %d\n%s%s", code, out, errOut)
	}
	tm = start(t, env, "file", "--resume", id)
	tm.expect("resuming filing " + id)
	tm.expect("IP addresses")   // the pages already answered are not asked again
	tm.expect("220.181.38.148") // and the interrupted one holds what was typed
}

// Issue 10: the page on the screen is journalled as it is typed, not only
// at its end: beian killed outright (no Ctrl-C, no chance to save) after a
// pause in typing still resumes with the half-typed page in place.
func TestKilledMidPageKeepsWhatWasTyped(t *testing.T) {
	srv := newFilingServer(t)
	srv.Start()
	subject := filingtest.Subject()
	_, token := srv.sponsor("pty-killed", &subject)
	home := t.TempDir()
	env := beianEnv(t, home, srv.URL, token)
	tm := start(t, env, "file")
	tm.expect("saved as you type")
	m := journalNote.FindStringSubmatch(tm.screen())
	if m == nil {
		t.Fatalf("no journal named in:\n%s", tm.screen())
	}
	id := m[1]
	tm.expect("first-level domain of its own")
	tm.send("Killed Site" + enter)
	tm.send("y")
	tm.expect("Other domains")
	tm.send("killed-example.cn" + enter)
	tm.send("www.killed-example.cn") // typed, not confirmed
	// A pause in typing: what is on the screen reaches the journal.
	waitForFile(t, filepath.Join(home, "state", "beian", "drafts", id+".yaml"), "www.killed-example.cn")
	if err := tm.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	tm.wait()
	tm = start(t, env, "file", "--resume", id)
	tm.expect("resuming filing " + id)
	tm.expect("Primary domain")
	tm.expect("killed-example.cn")
	tm.expect("Other domains")
	tm.expect("www.killed-example.cn")
}

var journalNote = regexp.MustCompile(`\(journal ([0-9A-Za-z_-]+)\)`)

var resumeCommand = regexp.MustCompile(`beian file --resume ([0-9A-Za-z_-]+)`)

func resumeID(t *testing.T, screen string) string {
	t.Helper()
	m := resumeCommand.FindAllStringSubmatch(screen, -1)
	if len(m) == 0 {
		t.Fatalf("no resume command in:\n%s", screen)
	}
	return m[len(m)-1][1]
}

func index(areas []area.Area, code string) int {
	for i, a := range areas {
		if a.Code == code {
			return i + 1
		}
	}
	panic("no area " + code)
}

// Issue 10: Shift-Tab on a page's first field goes back a page — three
// pages back from the access provider to the first, where the name is
// changed and "has a first-level domain of its own" turned from yes to no:
// the domain pages give way to the homepage page, the registrar's pages
// are not asked, the pages still in the walk keep their answers, and the
// filing is finished.
func TestGoBackThreePages(t *testing.T) {
	srv := newFilingServer(t)
	srv.Start()
	subject := filingtest.Subject()
	me, token := srv.sponsor("pty-back", &subject)
	tm := start(t, beianEnv(t, t.TempDir(), srv.URL, token), "file")
	tm.expect("Site name")
	tm.send("First Try Site" + enter)
	tm.send("y")
	tm.expect("Other domains")
	tm.send("back-example.cn" + enter)
	tm.send(enter)
	tm.expect("IP addresses")
	tm.send("223.5.5.5" + enter)
	tm.send("2024-03-01" + enter)
	tm.send(enter)
	back := func(title string) {
		tm.expect(title)
		tm.send(shiftTab)
	}
	back("Network access provider")
	back("IP addresses")
	back("Primary domain")
	tm.expect("Site name")
	tm.expect("First Try Site") // the first page again, as answered
	tm.send(ctrlU + "Gone Back Site" + enter)
	tm.send("n") // no first-level domain of its own after all
	tm.expect("Homepage URL or IP address")
	tm.send("https://shop.platform-example.cn/gone-back/" + enter)
	tm.expect("223.5.5.5") // the network page, as answered
	tm.send(enter)
	tm.send(enter)
	tm.send(enter)
	fileTheProvider(tm) // and then no registrar: the services come next
	fileTheServices(tm, "ops@platform-example.cn", "")
	confirmAndSubmit(tm)
	tm.expect("submitted for review")
	if code := tm.wait(); code != 0 {
		t.Fatalf("beian file exited %d", code)
	}
	var got []api.SiteRecord
	for _, r := range srv.sites(me, "") {
		if r.Site.Name == "Gone Back Site" {
			got = append(got, r)
		}
	}
	if len(got) != 1 {
		t.Fatalf("%d sites named Gone Back Site, want 1", len(got))
	}
	s := got[0].Site
	if s.HasPrimaryDomain || s.PrimaryDomain != "" || s.HomepageURL != "https://shop.platform-example.cn/gone-back/" ||
		len(s.IPAddresses) == 0 || s.IPAddresses[0] != "223.5.5.5" || s.Registrar.Name != "" {
		t.Fatalf("filed %+v", s)
	}
	if len(srv.sites(me, "back-example.cn")) != 0 {
		t.Error("the domain given up on the way back was filed")
	}
}

// Issue 10: a certificate the server refuses (a text file named .pdf) is
// named with the reason, forgotten by the journal, and asked for again on
// resume — not re-uploaded blindly — and a real one then files the site.
func TestRefusedAttachmentIsReplacedOnResume(t *testing.T) {
	srv := newFilingServer(t)
	srv.Start()
	subject := filingtest.Subject()
	me, token := srv.sponsor("pty-cert", &subject)
	home := t.TempDir()
	fake := filepath.Join(home, "approval.pdf")
	genuine := filepath.Join(home, "real-approval.pdf")
	if err := os.WriteFile(fake, []byte("this is only text, whatever its name says\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(genuine, []byte("%PDF-1.4\n% approval\n%%EOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := beianEnv(t, home, srv.URL, token)
	tm := start(t, env, "file")
	tm.expect("Site name")
	tm.send("Important Site" + enter)
	tm.send("y")
	tm.expect("Other domains")
	tm.send("important-example.cn" + enter)
	tm.send(enter)
	tm.expect("IP addresses")
	tm.send("223.5.5.5" + enter)
	tm.send("2024-03-01" + enter)
	tm.send(enter)
	fileTheRestWith(tm, "important-example.cn", fake)
	confirmAndSubmit(tm)
	tm.expect("was refused")
	if code := tm.wait(); code != 5 {
		t.Fatalf("exit %d after a refused certificate, want 5", code)
	}
	id := resumeID(t, tm.screen())

	tm = start(t, env, "file", "--resume", id)
	tm.expect("an attachment is required") // says why it asks again
	tm.answer("Approval certificate files", genuine+enter)
	tm.expect("uploading " + genuine)
	tm.expect("submitted for review")
	if code := tm.wait(); code != 0 {
		t.Fatalf("resume exited %d", code)
	}
	got := srv.sites(me, "important-example.cn")
	if len(got) != 1 || len(got[0].Site.ApprovalCertificates) != 1 || got[0].Site.ApprovalCertificates[0].ContentType != "application/pdf" {
		t.Fatalf("filed %+v", got)
	}
}

// Issue 10: from the review page any page can be reopened: the first page
// reopened, the name changed, the review page shows it, and it is filed.
func TestReviewPageReopensAPage(t *testing.T) {
	srv := newFilingServer(t)
	srv.Start()
	subject := filingtest.Subject()
	me, token := srv.sponsor("pty-reopen", &subject)
	tm := start(t, beianEnv(t, t.TempDir(), srv.URL, token), "file")
	fileTheSite(tm, "reopen-example.cn", false)
	tm.expect("key field")
	tm.expect("What now?")
	tm.idle()
	tm.send(down + down + enter) // "Change a page first"
	tm.expect("Which page?")
	tm.idle()
	tm.send(enter) // the first page: the site's name
	tm.expect("PTY Test Site")
	tm.idle()
	tm.send(ctrlU + "Reopened Site" + enter)
	tm.send(enter)
	tm.expect("Reopened Site") // the review page again, with the change
	confirmAndSubmit(tm)
	tm.expect("submitted for review")
	if code := tm.wait(); code != 0 {
		t.Fatalf("beian file exited %d", code)
	}
	if got := srv.sites(me, "reopen-example.cn"); len(got) != 1 || got[0].Site.Name != "Reopened Site" {
		t.Fatalf("filed %+v", got)
	}
}

// Issue 10: type-ahead. A person who knows the form types on without
// waiting for the next page to appear: three pages arrive as one burst of
// keys, across two page boundaries (each page its own program), and every
// answer lands in its own field.
func TestTypeAheadAcrossPages(t *testing.T) {
	srv := newFilingServer(t)
	srv.Start()
	subject := filingtest.Subject()
	me, token := srv.sponsor("pty-typist", &subject)
	tm := start(t, beianEnv(t, t.TempDir(), srv.URL, token), "file")
	tm.expect("Site name")
	tm.waitRaw()
	tm.write("Fast Typist Site" + enter + "y" +
		"typeahead-example.cn" + enter + enter +
		"223.5.5.5" + enter + "2024-03-01" + enter + enter)
	fileTheRest(tm, "typeahead-example.cn")
	confirmAndSubmit(tm)
	tm.expect("submitted for review")
	if code := tm.wait(); code != 0 {
		t.Fatalf("beian file exited %d", code)
	}
	got := srv.sites(me, "typeahead-example.cn")
	if len(got) != 1 {
		t.Fatalf("%d sites with typeahead-example.cn, want 1", len(got))
	}
	s := got[0].Site
	if s.Name != "Fast Typist Site" || len(s.IPAddresses) != 1 || s.IPAddresses[0] != "223.5.5.5" || s.LaunchDate != "2024-03-01" {
		t.Fatalf("filed %q %v %q", s.Name, s.IPAddresses, s.LaunchDate)
	}
}
