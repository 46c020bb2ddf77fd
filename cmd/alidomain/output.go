package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
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

// termWidth is the width a table is fitted to: the terminal's columns
// when the output is a table on a terminal, else 0 (pipes, files, CSV and
// JSON get every line whole).
func (a *app) termWidth() int {
	if a.output != "table" || !a.stdoutTTY() {
		return 0
	}
	if a.columns > 0 {
		return a.columns
	}
	if f, ok := a.stdout.(*os.File); ok {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			return w
		}
	}
	if n, err := strconv.Atoi(a.getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	return 80
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
	// fit, when not 0, is the terminal width the table is fitted to: the
	// last column wraps at spaces onto lines indented to it and, when it
	// would still get fewer than minLastColumn columns, a first cell wider
	// than the rest of the column goes on a line of its own.
	fit int
}

// minLastColumn is the least width a fitted table leaves its last column.
const minLastColumn = 30

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
	fitted := t.fit > 0 && len(width) > 1
	if fitted {
		last := len(width) - 1
		start := 2 * last
		for _, w := range width[:last] {
			start += w
		}
		width[0] = t.firstColumn(width[0], start-width[0])
	}
	var b strings.Builder
	line := func(cells []cell, head bool) {
		if fitted {
			t.fitLine(&b, width, cells, head, colour)
			return
		}
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

// firstColumn is the first column's width in a table fitted to t.fit, up
// to widest (its widest cell) with rest the columns before the last other
// than it: the width that takes the fewest lines, first cells wider than
// it going on lines of their own, leaving the last column at least
// minLastColumn when it can.
func (t *table) firstColumn(widest, rest int) int {
	last := len(t.header) - 1
	best, bestLines := widest, -1
	for w := widest; w >= runewidth.StringWidth(t.header[0]); w-- {
		room := t.fit - w - rest
		if room < minLastColumn && w < widest {
			continue // narrower only where it leaves the last column enough
		}
		lines := 0
		for _, r := range t.rows {
			if len(r) > 0 && runewidth.StringWidth(r[0].text) > w {
				lines++
			}
			if len(r) > last {
				lines += max(1, len(wrapText(r[last].text, max(room, minLastColumn/2))))
			}
		}
		if bestLines < 0 || lines < bestLines {
			best, bestLines = w, lines
		}
	}
	return best
}

// fitLine writes one row of a fitted table: a first cell wider than its
// column on a line of its own, then the other cells aligned, the last one
// wrapped to what is left of t.fit.
func (t *table) fitLine(b *strings.Builder, width []int, cells []cell, head, colour bool) {
	paint := func(c cell) string {
		switch {
		case colour && c.colour != "":
			return "\x1b[" + c.colour + "m" + c.text + "\x1b[0m"
		case colour && head:
			return "\x1b[1m" + c.text + "\x1b[0m"
		}
		return c.text
	}
	last := len(width) - 1
	cells = append([]cell(nil), cells...)
	if len(cells) > 0 && runewidth.StringWidth(cells[0].text) > width[0] && len(cells) > 1 {
		b.WriteString(paint(cells[0]) + "\n")
		cells[0] = cell{}
	}
	var prefix strings.Builder
	start := 0
	for i := 0; i < last && i < len(cells); i++ {
		pad := strings.Repeat(" ", max(0, width[i]-runewidth.StringWidth(cells[i].text)))
		if t.right[i] {
			prefix.WriteString(pad + paint(cells[i]))
		} else {
			prefix.WriteString(paint(cells[i]) + pad)
		}
		prefix.WriteString("  ")
		start += width[i] + 2
	}
	var parts []string
	if len(cells) > last {
		parts = wrapText(cells[last].text, max(t.fit-start, minLastColumn/2))
	}
	if len(parts) == 0 {
		b.WriteString(strings.TrimRight(prefix.String(), " ") + "\n")
		return
	}
	for k, p := range parts {
		lead := strings.Repeat(" ", start)
		if k == 0 {
			lead = prefix.String()
		}
		b.WriteString(lead + paint(cell{text: p, colour: cells[last].colour}) + "\n")
	}
}

// wrapText breaks s at spaces into lines of at most width columns (a word
// wider than that is split).
func wrapText(s string, width int) []string {
	var lines []string
	cur := ""
	for _, word := range strings.Fields(s) {
		for runewidth.StringWidth(word) > width {
			if cur != "" {
				lines, cur = append(lines, cur), ""
			}
			head := runewidth.Truncate(word, width, "")
			if head == "" { // a character wider than the line
				head = string([]rune(word)[:1])
			}
			lines, word = append(lines, head), word[len(head):]
		}
		switch {
		case word == "":
		case cur == "":
			cur = word
		case runewidth.StringWidth(cur)+1+runewidth.StringWidth(word) <= width:
			cur += " " + word
		default:
			lines, cur = append(lines, cur), word
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
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
