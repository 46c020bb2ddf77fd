// Package redact removes secrets (keys, tokens, signatures, transfer codes,
// passwords) from text that is about to reach an error or a log, in
// whatever encoding a server or a proxy echoed them.
//
// A Set holds one attempt's secrets. Redact looks for them in the text and
// in every decoding of it, up to MaxDepth nested layers: percent-encoding
// (%XX in either case, %uXXXX, '+' for a space), HTML and XML character
// references (&amp; &lt; &#39; &#x26; ...) and JSON or JavaScript
// backslash escapes (\u0026, \x26, \" ...). Each match found in a decoded
// layer is mapped back to the bytes of the original text that encode it,
// and those bytes are replaced by Mark. A secret is matched whole and by
// any prefix of MinPrefix bytes or more (a server that truncates its
// message may quote only the start); a whole text (a signed query, a form
// body) only whole. Whatever the Set, the value written after a name that
// marks a secret (SecretName, or Signature) is redacted too:
// Name=value, "Name":"value", Name: value, also once decoded.
package redact

import (
	"bytes"
	"hash/maphash"
	"html"
	"sort"
	"strings"
	"unicode/utf8"
)

// Mark replaces each redacted part of a text.
const Mark = "[REDACTED]"

// MinPrefix is the length of the shortest prefix of a secret that is
// redacted on its own; a shorter secret is redacted whole only.
const MinPrefix = 8

// MaxInput bounds how much of a text Redact examines; the rest is dropped,
// so that redacting a hostile body costs a bounded amount of work.
const MaxInput = 128 << 10

// MaxDepth is how many nested encodings are undone: a string to sign
// encodes values twice, and the server may quote it in JSON inside a page.
const MaxDepth = 4

// Set is a collection of secrets; the zero value and nil are empty sets,
// which still redact by name. A Set is not safe for concurrent Add.
type Set struct {
	items []item
}

// item is one text to find, folded (see fold); min is the shortest match.
type item struct {
	f   []byte
	min int
}

// New returns a Set of secrets, each redacted whole and by its prefixes.
func New(secrets ...string) *Set {
	s := &Set{}
	s.Add(secrets...)
	return s
}

// Add adds secrets, each redacted whole and by its prefixes of MinPrefix
// bytes or more. Empty strings are ignored.
func (s *Set) Add(secrets ...string) {
	for _, v := range secrets {
		s.add(v, true)
	}
}

// AddWhole adds texts redacted only whole, such as a signed query or a
// form body that holds secrets among harmless parameters (the secrets in
// them are to be added with Add too).
func (s *Set) AddWhole(texts ...string) {
	for _, v := range texts {
		s.add(v, false)
	}
}

func (s *Set) add(v string, prefixes bool) {
	if v == "" {
		return
	}
	forms := [][]byte{[]byte(v)}
	// A text given encoded (a query) is found decoded too, whatever its
	// hex case; a raw secret's decoding is harmless to redact.
	if d, changed := decodePercent(layer{b: []byte(v)}); changed {
		forms = append(forms, d.b)
	}
	for _, f := range forms {
		f = fold(f)
		m := len(f)
		if prefixes && m > MinPrefix {
			m = MinPrefix
		}
		dup := false
		for i := range s.items {
			if bytes.Equal(s.items[i].f, f) {
				s.items[i].min = min(s.items[i].min, m)
				dup = true
			}
		}
		if !dup {
			s.items = append(s.items, item{f: f, min: m})
		}
	}
}

// fold maps a space to '+', in place: a form encodes a space as '+', and a
// server that decodes a form turns a '+' into a space.
func fold(b []byte) []byte {
	for i, c := range b {
		if c == ' ' {
			b[i] = '+'
		}
	}
	return b
}

// span is a part [start, end) of the original text.
type span struct{ start, end int }

// layer is a decoding of the original text: b, and for each byte of b the
// part of the original it comes from (nil: b is the original).
type layer struct {
	b          []byte
	start, end []int32
}

func (l *layer) origin(i, j int) span {
	if l.start == nil {
		return span{i, j}
	}
	return span{int(l.start[i]), int(l.end[j-1])}
}

// Redact returns text with every secret of s, and every value of a secret
// parameter, replaced by Mark. It examines at most MaxInput bytes of text
// (cut on a character boundary) and drops the rest. Each layer is decoded
// from its start, so an escape that text begins just before a secret and
// ends inside it ("%4" then "1...") hides that secret; no encoder writes
// one.
func (s *Set) Redact(text string) string {
	if len(text) > MaxInput {
		n := MaxInput
		for n > 0 && !utf8.RuneStart(text[n]) {
			n--
		}
		text = text[:n]
	}
	if text == "" {
		return text
	}
	r := redactor{set: s, seed: maphash.MakeSeed()}
	r.visit(layer{b: []byte(text)}, 0)
	if len(r.spans) == 0 {
		return text
	}
	return replace(text, r.spans)
}

// redactor collects the spans of one Redact call.
type redactor struct {
	set   *Set
	spans []span
	seed  maphash.Seed
	seen  map[uint64]bool
}

// decoders undo one layer of each encoding; trigger is the byte without
// which the decoder has nothing to do.
var decoders = [...]struct {
	trigger byte
	decode  func(layer) (layer, bool)
}{
	{'%', decodePercent},
	{'&', decodeEntities},
	{'\\', decodeBackslash},
}

// visit matches l, then each decoding of it not seen yet.
func (r *redactor) visit(l layer, depth int) {
	r.match(&l)
	if depth == MaxDepth {
		return
	}
	for _, d := range decoders {
		if bytes.IndexByte(l.b, d.trigger) < 0 {
			continue
		}
		next, changed := d.decode(l)
		if !changed {
			continue
		}
		h := maphash.Bytes(r.seed, next.b)
		if r.seen[h] {
			continue
		}
		if r.seen == nil {
			r.seen = map[uint64]bool{}
		}
		r.seen[h] = true
		r.visit(next, depth+1)
	}
}

// match records the spans of the secrets and of the secret parameters'
// values in l.
func (r *redactor) match(l *layer) {
	if r.set != nil && len(r.set.items) > 0 {
		folded := l.b
		if bytes.IndexByte(folded, ' ') >= 0 {
			folded = fold(bytes.Clone(folded))
		}
		for _, it := range r.set.items {
			head := it.f[:it.min]
			for from := 0; from+it.min <= len(folded); {
				i := bytes.Index(folded[from:], head)
				if i < 0 {
					break
				}
				i += from
				n := it.min
				for n < len(it.f) && i+n < len(folded) && folded[i+n] == it.f[n] {
					n++
				}
				r.spans = append(r.spans, l.origin(i, i+n))
				from = i + 1
			}
		}
	}
	for _, v := range paramValues(l.b) {
		r.spans = append(r.spans, l.origin(v.start, v.end))
	}
}

// replace returns text with the union of spans replaced by Mark, one Mark
// for each run of overlapping or touching spans.
func replace(text string, spans []span) string {
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var b bytes.Buffer
	b.Grow(len(text))
	last := 0 // text[:last] is written
	for i := 0; i < len(spans); {
		start, end := spans[i].start, spans[i].end
		for i++; i < len(spans) && spans[i].start <= end; i++ {
			end = max(end, spans[i].end)
		}
		b.WriteString(text[last:start])
		b.WriteString(Mark)
		last = end
	}
	b.WriteString(text[last:])
	return b.String()
}

// decoded builds a layer from l, a byte or an escape at a time.
type decoded struct {
	src *layer
	out layer
}

func newDecoded(l *layer) *decoded {
	n := len(l.b)
	return &decoded{src: l, out: layer{b: make([]byte, 0, n), start: make([]int32, 0, n), end: make([]int32, 0, n)}}
}

// emit appends bs, decoded from l.b[i:j].
func (d *decoded) emit(i, j int, bs ...byte) {
	o := d.src.origin(i, j)
	for _, c := range bs {
		d.out.b = append(d.out.b, c)
		d.out.start = append(d.out.start, int32(o.start))
		d.out.end = append(d.out.end, int32(o.end))
	}
}

// emitString appends s, decoded from l.b[i:j].
func (d *decoded) emitString(i, j int, s string) {
	for k := 0; k < len(s); k++ {
		d.emit(i, j, s[k])
	}
}

// emitRune appends r's UTF-8 encoding, decoded from l.b[i:j].
func (d *decoded) emitRune(i, j int, r rune) {
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	d.emit(i, j, buf[:n]...)
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// hexValue parses b as hex digits (at most 8).
func hexValue(b []byte) (rune, bool) {
	if len(b) == 0 || len(b) > 8 {
		return 0, false
	}
	var v rune
	for _, c := range b {
		h, ok := unhex(c)
		if !ok {
			return 0, false
		}
		v = v<<4 | rune(h)
	}
	return v, true
}

// decodePercent undoes one layer of percent-encoding: %XX in either case,
// and JavaScript's %uXXXX. ('+' is left alone: fold matches it.)
func decodePercent(l layer) (layer, bool) {
	d := newDecoded(&l)
	b := l.b
	changed := false
	for i := 0; i < len(b); {
		if b[i] == '%' {
			if i+3 <= len(b) {
				if h, ok := unhex(b[i+1]); ok {
					if lo, ok := unhex(b[i+2]); ok {
						d.emit(i, i+3, h<<4|lo)
						i += 3
						changed = true
						continue
					}
				}
			}
			if i+6 <= len(b) && (b[i+1] == 'u' || b[i+1] == 'U') {
				if r, ok := hexValue(b[i+2 : i+6]); ok {
					d.emitRune(i, i+6, r)
					i += 6
					changed = true
					continue
				}
			}
		}
		d.emit(i, i+1, b[i])
		i++
	}
	return d.out, changed
}

// xmlEntities are XML's named references, decoded without a lookup in
// HTML's table.
var xmlEntities = map[string]string{"amp": "&", "lt": "<", "gt": ">", "quot": `"`, "apos": "'"}

// decodeEntities undoes one layer of HTML or XML character references:
// named (&amp;, &apos;, every HTML name), decimal (&#39;, &#039;) and
// hexadecimal (&#x27;, &#X27;), each ended by its ';' (without it, the
// reference could swallow the start of what follows).
func decodeEntities(l layer) (layer, bool) {
	d := newDecoded(&l)
	b := l.b
	changed := false
	for i := 0; i < len(b); {
		if b[i] == '&' {
			if r, n := entity(b[i:]); n > 0 {
				d.emitString(i, i+n, r)
				i += n
				changed = true
				continue
			}
		}
		d.emit(i, i+1, b[i])
		i++
	}
	return d.out, changed
}

// entity decodes the character reference at the start of b ('&'), and
// returns its text and length (0: none).
func entity(b []byte) (string, int) {
	if len(b) < 2 {
		return "", 0
	}
	if b[1] == '#' {
		p, base := 2, rune(10)
		if p < len(b) && (b[p] == 'x' || b[p] == 'X') {
			p, base = 3, 16
		}
		q := p
		var v rune
		for q < len(b) && q-p < 8 {
			c := b[q]
			h, ok := unhex(c)
			if !ok || base == 10 && c > '9' {
				break
			}
			v = v*base + rune(h)
			q++
		}
		if q == p || q == len(b) || b[q] != ';' {
			return "", 0
		}
		q++
		if !utf8.ValidRune(v) || v == 0 {
			v = utf8.RuneError
		}
		return string(v), q
	}
	q := 1
	for q < len(b) && q < 34 && ('a' <= b[q] && b[q] <= 'z' || 'A' <= b[q] && b[q] <= 'Z' || '0' <= b[q] && b[q] <= '9') {
		q++
	}
	if q == 1 {
		return "", 0
	}
	if q < len(b) && b[q] == ';' {
		if c, ok := xmlEntities[string(b[1:q])]; ok {
			return c, q + 1
		}
		ref := string(b[:q+1])
		if u := html.UnescapeString(ref); u != ref && !strings.HasSuffix(u, ";") { // not "&notit;" as "¬it;"
			return u, q + 1
		}
	}
	return "", 0
}

// backslashEscapes are JSON's and JavaScript's one-character escapes.
var backslashEscapes = [256]byte{'"': '"', '\\': '\\', '/': '/', '\'': '\'', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

// decodeBackslash undoes one layer of JSON or JavaScript escapes: \uXXXX
// (surrogate pairs joined), \xHH and the one-character escapes.
func decodeBackslash(l layer) (layer, bool) {
	d := newDecoded(&l)
	b := l.b
	changed := false
	for i := 0; i < len(b); {
		if b[i] == '\\' && i+1 < len(b) {
			switch c := b[i+1]; {
			case (c == 'u' || c == 'U') && i+6 <= len(b):
				if r, ok := hexValue(b[i+2 : i+6]); ok {
					n := 6
					if utf16IsHigh(r) && i+12 <= len(b) && b[i+6] == '\\' && (b[i+7] == 'u' || b[i+7] == 'U') {
						if lo, ok := hexValue(b[i+8 : i+12]); ok && utf16IsLow(lo) {
							r, n = (r-0xD800)<<10+(lo-0xDC00)+0x10000, 12
						}
					}
					if !utf8.ValidRune(r) {
						r = utf8.RuneError
					}
					d.emitRune(i, i+n, r)
					i += n
					changed = true
					continue
				}
			case c == 'x' && i+4 <= len(b):
				if h, ok := unhex(b[i+2]); ok {
					if lo, ok := unhex(b[i+3]); ok {
						d.emit(i, i+4, h<<4|lo)
						i += 4
						changed = true
						continue
					}
				}
			case backslashEscapes[c] != 0:
				d.emit(i, i+2, backslashEscapes[c])
				i += 2
				changed = true
				continue
			}
		}
		d.emit(i, i+1, b[i])
		i++
	}
	return d.out, changed
}

func utf16IsHigh(r rune) bool { return 0xD800 <= r && r < 0xDC00 }
func utf16IsLow(r rune) bool  { return 0xDC00 <= r && r < 0xE000 }
