package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"regexp"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"
)

// runTerm runs the command in process as if stdout were a terminal of the
// given width.
func runTerm(t *testing.T, columns int, env map[string]string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	tty := true
	a := &app{stdout: &out, stderr: &errb, tty: &tty, columns: columns, getenv: func(k string) string { return env[k] }}
	code := run(context.Background(), args, a)
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

var sgr = regexp.MustCompile("\x1b\\[[0-9;]*m")

// TestActionsFitTheTerminal: on a terminal the actions table fits its
// width, every action name whole at the start of a line and every summary
// whole (wrapped, in order, under SUMMARY); with colour too.
func TestActionsFitTheTerminal(t *testing.T) {
	acts := theCatalog().Actions
	var names, words []string
	for _, act := range acts {
		names = append(names, act.Name)
		words = append(words, strings.Fields(act.Summary)...)
	}
	for _, columns := range []int{80, 100, 132} {
		for _, env := range []map[string]string{{"NO_COLOR": "1"}, {}} {
			r := runTerm(t, columns, env, "actions")
			expectCode(t, r, exitOK)
			if env["NO_COLOR"] == "" && !strings.Contains(r.stdout, "\x1b[") {
				t.Errorf("%d columns: no colour on a terminal", columns)
			}
			lines := strings.Split(strings.TrimSuffix(sgr.ReplaceAllString(r.stdout, ""), "\n"), "\n")
			if len(lines) < len(acts)+2 || lines[len(lines)-1] != "132 actions" {
				t.Fatalf("%d columns: %d lines, last %q", columns, len(lines), lines[len(lines)-1])
			}
			col := strings.Index(lines[0], "SUMMARY")
			if col < 0 || !strings.HasPrefix(lines[0], "ACTION ") {
				t.Fatalf("header %q", lines[0])
			}
			kcol := strings.Index(lines[0], "KIND")
			kinds := 0
			var gotNames, gotWords []string
			for _, l := range lines[1 : len(lines)-1] {
				if w := runewidth.StringWidth(l); w > columns {
					t.Errorf("%d columns: a line of %d: %q", columns, w, l)
				}
				if l != "" && l[0] != ' ' {
					gotNames = append(gotNames, strings.Fields(l)[0])
					if len(strings.Fields(l)) == 1 {
						continue // a name wider than its column, alone on its line
					}
				}
				if len(l) > kcol && l[kcol] != ' ' {
					kinds++
				}
				if len(l) > col {
					if strings.TrimSpace(l[col-2:col]) != "" {
						t.Errorf("%d columns: text runs into SUMMARY: %q", columns, l)
					}
					gotWords = append(gotWords, strings.Fields(l[col:])...)
				}
			}
			if kinds != len(acts) {
				t.Errorf("%d columns: %d kinds, want %d", columns, kinds, len(acts))
			}
			if strings.Join(gotNames, " ") != strings.Join(names, " ") {
				t.Errorf("%d columns: the action names are not all whole, in order:\n%v", columns, gotNames)
			}
			if strings.Join(gotWords, " ") != strings.Join(words, " ") {
				t.Errorf("%d columns: the summaries are not whole under SUMMARY", columns)
			}
		}
	}
	// Wide enough for every line: the table as in a pipe.
	wide := runTerm(t, 300, map[string]string{"NO_COLOR": "1"}, "actions")
	pipe := runTerm(t, 80, nil, "actions", "-o", "csv")
	recs, err := csv.NewReader(strings.NewReader(pipe.stdout)).ReadAll()
	if err != nil || len(recs) != len(acts)+1 {
		t.Fatalf("CSV on a terminal: %v, %d records", err, len(recs))
	}
	for i, act := range acts {
		if recs[i+1][0] != act.Name || recs[i+1][2] != act.Summary {
			t.Errorf("CSV on a terminal cut %s: %q", act.Name, recs[i+1][2])
		}
		if !regexp.MustCompile(`(?m)^` + act.Name + ` +\S[^\n]*` + regexp.QuoteMeta(act.Summary) + `$`).MatchString(wide.stdout) {
			t.Errorf("300 columns: %s's line is not whole", act.Name)
		}
	}
	if doc := decode(t, runTerm(t, 80, nil, "actions", "--json")); len(doc["actions"].([]any)) != len(acts) {
		t.Error("JSON on a terminal lost actions")
	}
}

// TestActionsWholeInAPipe: in a pipe the table is never wrapped, whatever
// COLUMNS says.
func TestActionsWholeInAPipe(t *testing.T) {
	r := runBin(t, []string{"COLUMNS=80"}, "", "actions")
	expectCode(t, r, exitOK)
	long := 0
	for _, l := range strings.Split(r.stdout, "\n") {
		if runewidth.StringWidth(l) > 80 {
			long++
		}
	}
	if long < 100 || strings.Contains(r.stdout, "\n   ") {
		t.Errorf("%d lines over 80 columns, or a continuation line, in a pipe", long)
	}
}

func TestWrapText(t *testing.T) {
	for _, c := range []struct {
		in    string
		width int
		want  []string
	}{
		{"Sets the name servers of several domains.", 16, []string{"Sets the name", "servers of", "several domains."}},
		{"  spaced   out  ", 40, []string{"spaced out"}},
		{"", 10, nil},
		{"a SaveBatchTaskForModifyingDomainDns b", 10, []string{"a", "SaveBatchT", "askForModi", "fyingDomai", "nDns b"}},
		{"例子域名 中文网站", 6, []string{"例子域", "名", "中文网", "站"}},
	} {
		got := wrapText(c.in, c.width)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("wrapText(%q, %d) = %q, want %q", c.in, c.width, got, c.want)
		}
		for _, l := range got {
			if runewidth.StringWidth(l) > c.width {
				t.Errorf("wrapText(%q, %d): %q is too wide", c.in, c.width, l)
			}
		}
	}
}
