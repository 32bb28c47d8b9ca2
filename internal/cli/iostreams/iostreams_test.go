package iostreams

import "testing"

func env(m map[string]string) Getenv { return func(k string) string { return m[k] } }

func TestApplyEnv(t *testing.T) {
	tests := []struct {
		name           string
		stdoutTTY      bool
		env            map[string]string
		wantColor      bool
		wantAccessible bool
		wantNeverPr    bool
	}{
		{"terminal", true, nil, true, false, false},
		{"piped", false, nil, false, false, false},
		{"NO_COLOR", true, map[string]string{"NO_COLOR": "1"}, false, false, false},
		{"TERM=dumb", true, map[string]string{"TERM": "dumb"}, false, true, false},
		{"BEIAN_ACCESSIBLE", true, map[string]string{"BEIAN_ACCESSIBLE": "1"}, true, true, false},
		{"BEIAN_ACCESSIBLE=false", true, map[string]string{"BEIAN_ACCESSIBLE": "false"}, true, false, false},
		{"BEIAN_NO_INPUT", true, map[string]string{"BEIAN_NO_INPUT": "true"}, true, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, _, _ := Test()
			s.stdoutTTY = tt.stdoutTTY
			s.applyEnv(env(tt.env))
			if s.ColorEnabled() != tt.wantColor {
				t.Errorf("color = %v, want %v", s.ColorEnabled(), tt.wantColor)
			}
			if s.Accessible() != tt.wantAccessible {
				t.Errorf("accessible = %v, want %v", s.Accessible(), tt.wantAccessible)
			}
			if s.neverPrompt != tt.wantNeverPr {
				t.Errorf("neverPrompt = %v, want %v", s.neverPrompt, tt.wantNeverPr)
			}
		})
	}
}

func TestCanPrompt(t *testing.T) {
	tests := []struct {
		in, out, never bool
		want           bool
	}{
		{true, true, false, true},
		{false, true, false, false}, // stdin piped: a script
		{true, false, false, false}, // stdout piped: output captured
		{true, true, true, false},   // --no-input
	}
	for _, tt := range tests {
		s, _, _, _ := Test()
		s.SetStdinTTY(tt.in)
		s.SetStdoutTTY(tt.out)
		s.SetNeverPrompt(tt.never)
		if got := s.CanPrompt(); got != tt.want {
			t.Errorf("CanPrompt(in=%v out=%v never=%v) = %v, want %v", tt.in, tt.out, tt.never, got, tt.want)
		}
	}
}

func TestColorScheme(t *testing.T) {
	s, _, _, _ := Test()
	if got := s.ColorScheme().Red("x"); got != "x" {
		t.Errorf("colour off: %q", got)
	}
	s.SetColorEnabled(true)
	if got := s.ColorScheme().Red("x"); got != "\x1b[31mx\x1b[0m" {
		t.Errorf("colour on: %q", got)
	}
}

func TestTerminalWidthDefault(t *testing.T) {
	s, _, _, _ := Test()
	if s.TerminalWidth() != 80 {
		t.Errorf("width = %d", s.TerminalWidth())
	}
	s.SetTerminalWidth(120)
	if s.TerminalWidth() != 120 {
		t.Errorf("width = %d", s.TerminalWidth())
	}
}
