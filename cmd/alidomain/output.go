package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-runewidth"
	"golang.org/x/net/idna"
	"golang.org/x/term"
)

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// stdoutTTY reports whether stdout is a terminal (or the tests say so).
func (a *app) stdoutTTY() bool {
	if a.tty != nil {
		return *a.tty
	}
	return isTerminal(a.stdout)
}

// stderrTTY reports whether stderr is a terminal (or the tests say so).
func (a *app) stderrTTY() bool {
	if a.tty != nil {
		return *a.tty
	}
	return isTerminal(a.stderr)
}

// colour reports whether the table may use colour: a terminal, table
// output, and no NO_COLOR.
func (a *app) colour() bool {
	return a.output == "table" && a.stdoutTTY() && a.getenv("NO_COLOR") == ""
}

// progressOn reports whether progress bars are drawn: on stderr, only when
// both stdout and stderr are terminals and the output is a table (never in
// a pipe, a file or JSON).
func (a *app) progressOn() bool {
	return !a.noProgress && a.output == "table" && a.stdoutTTY() && a.stderrTTY()
}

// Colours of a cell (ANSI SGR codes).
const (
	plain  = ""
	green  = "32"
	red    = "31"
	yellow = "33"
	dim    = "2"
)

// cell is one table cell: its text and colour.
type cell struct {
	text, colour string
}

// table is what a command prints: the same rows as an aligned table or CSV
// (JSON has its own document).
type table struct {
	header []string
	right  map[int]bool // right-aligned columns (amounts, counts)
	rows   [][]cell
}

// add appends a row of plain cells.
func (t *table) add(cells ...string) {
	row := make([]cell, len(cells))
	for i, c := range cells {
		row[i] = cell{text: c}
	}
	t.rows = append(t.rows, row)
}

// addCells appends a row.
func (t *table) addCells(row ...cell) { t.rows = append(t.rows, row) }

// write renders t as a table (aligned by display width: CJK characters
// count two columns) or as CSV.
func (t *table) write(w io.Writer, format string, colour bool) error {
	if format == "csv" {
		cw := csv.NewWriter(w)
		if err := cw.Write(t.header); err != nil {
			return err
		}
		for _, r := range t.rows {
			rec := make([]string, len(r))
			for i, c := range r {
				rec[i] = c.text
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	}
	width := make([]int, len(t.header))
	for i, h := range t.header {
		width[i] = runewidth.StringWidth(h)
	}
	for _, r := range t.rows {
		for i, c := range r {
			if i < len(width) {
				width[i] = max(width[i], runewidth.StringWidth(c.text))
			}
		}
	}
	var b strings.Builder
	line := func(cells []cell, head bool) {
		start := b.Len()
		for i, c := range cells {
			if i >= len(width) {
				break
			}
			pad := strings.Repeat(" ", width[i]-runewidth.StringWidth(c.text))
			text := c.text
			if colour && c.colour != "" {
				text = "\x1b[" + c.colour + "m" + text + "\x1b[0m"
			} else if colour && head {
				text = "\x1b[1m" + text + "\x1b[0m"
			}
			switch {
			case t.right[i]:
				b.WriteString(pad + text)
			case i == len(cells)-1:
				b.WriteString(text) // no trailing blanks
			default:
				b.WriteString(text + pad)
			}
			if i < len(cells)-1 {
				b.WriteString("  ")
			}
		}
		// No trailing blanks (an empty last column).
		trimmed := strings.TrimRight(b.String()[start:], " ")
		rest := b.String()[:start]
		b.Reset()
		b.WriteString(rest + trimmed + "\n")
	}
	head := make([]cell, len(t.header))
	for i, h := range t.header {
		head[i] = cell{text: h}
	}
	line(head, true)
	for _, r := range t.rows {
		line(r, false)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// display returns a domain name as a person reads it: Unicode for an IDN
// (xn--fsqu00a.cn shows as 例子.cn), else as given.
func display(name string) string {
	if !strings.Contains(name, "xn--") {
		return name
	}
	u, err := idna.ToUnicode(name)
	if err != nil {
		return name
	}
	return u
}

// canonical is the one form a domain name is compared in: IDNA ASCII, lower
// case, no trailing dot (the SDK's rule).
func canonical(name string) string {
	n := strings.TrimSuffix(strings.TrimSpace(name), ".")
	if a, err := idna.Lookup.ToASCII(n); err == nil {
		n = a
	}
	return strings.ToLower(n)
}

// progress draws one line on stderr, redrawn in place, when enabled; it is
// silent otherwise (pipes, files, JSON).
type progress struct {
	mu      sync.Mutex
	w       io.Writer
	on      bool
	last    time.Time
	drawn   bool
	columns int
}

// newProgress returns the run's progress line.
func (a *app) newProgress() *progress {
	p := &progress{w: a.stderr, on: a.progressOn(), columns: 80}
	if f, ok := a.stderr.(*os.File); ok && p.on {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 20 {
			p.columns = w
		}
	}
	return p
}

// bar draws "label [####----] done/total  extra"; total 0 draws no bar.
// Redraws come at most every 100ms unless force.
func (p *progress) bar(label string, done, total int, extra string, force bool) {
	if p == nil || !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !force && time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	s := label
	if total > 0 {
		const n = 24
		k := min(n, done*n/total)
		s += fmt.Sprintf(" [%s%s] %d/%d", strings.Repeat("#", k), strings.Repeat("-", n-k), done, total)
	}
	if extra != "" {
		s += "  " + extra
	}
	s = runewidth.Truncate(s, p.columns-1, "")
	fmt.Fprint(p.w, "\r\x1b[K"+s)
	p.drawn = true
}

// done clears the line.
func (p *progress) done() {
	if p == nil || !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.drawn = false
	}
}

// money formats an amount in minor units (cents) with its currency.
func money(cents int64, currency string) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%s %d.%02d", sign, currency, cents/100, cents%100)
}

// dateOf formats a time as a date, or "-" for the zero time.
func dateOf(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02")
}

// timeOf formats a time to the minute, or "-" for the zero time.
func timeOf(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04Z")
}

// nDomains says "1 domain" or "n domains".
func nDomains(n int) string {
	if n == 1 {
		return "1 domain"
	}
	return fmt.Sprintf("%d domains", n)
}
