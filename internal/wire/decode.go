package wire

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// Response is implemented by every wire response (through the embedded
// Envelope): the envelope that every answer of the RPC gateway carries.
type Response interface{ Folded() Envelope }

// Envelope is embedded in every wire response: the gateway's envelope
// (RequestId, and Code and Message on an error) and the business envelope
// some actions answer with inside HTTP 200 (Success, ErrorCode, ErrorMsg,
// HttpStatusCode). Either kind of error in a 2xx answer is an error answer;
// Folded folds the second into the first, so that every action, typed or
// through Client.Call, decides it in one place.
type Envelope struct {
	RequestID string `json:"RequestId" xml:"RequestId"`
	Code      string `json:"Code" xml:"Code"`
	Message   string `json:"Message" xml:"Message"`
	HostID    string `json:"HostId" xml:"HostId"`
	Recommend string `json:"Recommend" xml:"Recommend"`

	// The business envelope (QueryDomainRealTimePrice's, and that of any
	// action answering the same way): absent from most answers.
	Success        *FlexBool  `json:"Success" xml:"Success"`
	HTTPStatusCode FlexInt    `json:"HttpStatusCode" xml:"HttpStatusCode"`
	ErrorCode      FlexString `json:"ErrorCode" xml:"ErrorCode"`
	ErrorMsg       FlexString `json:"ErrorMsg" xml:"ErrorMsg"`
	ErrorMessage   FlexString `json:"ErrorMessage" xml:"ErrorMessage"`
	DynamicCode    FlexString `json:"DynamicCode" xml:"DynamicCode"`
	DynamicMessage FlexString `json:"DynamicMessage" xml:"DynamicMessage"`

	// Status, when set by Folded, is the HTTP status an error answer
	// carries in its body (HttpStatusCode); the APIError reports it
	// instead of the 200.
	Status int `json:"-" xml:"-"`
	// Failed, when set by Folded, says why an answer without a code is
	// still no result: Success false with no code, or Success true with an
	// ErrorCode (neither a result nor a refusal).
	Failed string `json:"-" xml:"-"`
}

// Folded returns the envelope with a business failure folded in: an
// ErrorCode (or, with Success false, a DynamicCode) becomes the Code, its
// ErrorMsg (ErrorMessage, DynamicMessage) the Message, and the body's
// HttpStatusCode the status. An answer that contradicts itself or says
// Success false without a code sets Failed instead.
func (m Envelope) Folded() Envelope {
	if m.Code != "" {
		return m
	}
	code := string(m.ErrorCode)
	switch {
	case m.Success == nil:
	case bool(*m.Success) && code != "":
		m.Failed = "the response says Success true and carries an ErrorCode"
		return m
	case !bool(*m.Success) && code == "":
		code = string(m.DynamicCode)
		if code == "" {
			m.Failed = "the response says Success false with no ErrorCode"
			return m
		}
	}
	if code == "" {
		return m
	}
	m.Code = code
	for _, msg := range [...]FlexString{m.ErrorMsg, m.ErrorMessage, m.DynamicMessage} {
		if msg != "" {
			m.Message = string(msg)
			break
		}
	}
	m.Status = inBodyStatus(int(m.HTTPStatusCode))
	return m
}

// inBodyStatus returns an in-body HTTP status, or 200 (the status the
// answer came with) when it is not one.
func inBodyStatus(s int) int {
	if s < 100 || s > 599 {
		return 200
	}
	return s
}

// MaxXMLDepth bounds the nesting of an XML answer; the service's are a few
// levels deep.
const MaxXMLDepth = 32

// IsXMLContentType reports whether a Content-Type header names XML
// (application/xml, text/xml or a +xml type, any parameters).
func IsXMLContentType(ct string) bool {
	mt, _, _ := strings.Cut(ct, ";")
	mt = strings.TrimSpace(mt)
	return strings.EqualFold(mt, "application/xml") || strings.EqualFold(mt, "text/xml") ||
		len(mt) > 4 && strings.EqualFold(mt[len(mt)-4:], "+xml")
}

// DecodeBody decodes a 2xx body into out: a JSON object, or, only when
// xmlOK (XML was asked for, or the Content-Type says XML), an XML document.
// Anything else is an error.
func DecodeBody(body []byte, xmlOK bool, out any) error {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	switch {
	case len(trimmed) == 0:
		return errors.New("empty body")
	case trimmed[0] == '<' && xmlOK:
		if err := CheckXMLDepth(trimmed); err != nil {
			return err
		}
		return xml.Unmarshal(trimmed, out)
	case trimmed[0] == '<':
		return errors.New("the body is markup (an HTML page?), not the JSON asked for")
	case trimmed[0] != '{':
		return errors.New("the body is not a JSON object")
	}
	return json.Unmarshal(trimmed, out)
}

// CheckXMLDepth reads the tokens of an XML document until its nesting
// exceeds MaxXMLDepth: a document nested deeper is refused before it is
// decoded (an 8 MiB <a><a>... otherwise takes seconds and hundreds of MB).
func CheckXMLDepth(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	depth := 0
	for {
		tok, err := d.RawToken()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			if depth++; depth > MaxXMLDepth {
				return fmt.Errorf("XML nested deeper than %d elements", MaxXMLDepth)
			}
		case xml.EndElement:
			depth--
		}
	}
}

// DecodeListJSON decodes the Data member of a list response, normally
// {"<key>":[item, ...]}, tolerating the shapes the service and the gateways
// in front of it produce for few or no items: Data or the list absent, null,
// "" , {} or []; a single item sent as an object instead of a list; and the
// list sent directly as Data.
func DecodeListJSON[T any](b []byte, key string) ([]T, error) {
	b = trimJSON(b)
	if emptyJSON(b) {
		return nil, nil
	}
	switch b[0] {
	case '[':
		var items []T
		if err := json.Unmarshal(b, &items); err != nil {
			return nil, err
		}
		return items, nil
	case '{':
	default:
		return nil, fmt.Errorf("Data is neither an object nor a list: %.40q", b)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	raw, ok := m[key]
	if !ok {
		for k, v := range m {
			if strings.EqualFold(k, key) {
				raw, ok = v, true
				break
			}
		}
	}
	if !ok {
		return nil, nil
	}
	raw = trimJSON(raw)
	if emptyJSON(raw) {
		return nil, nil
	}
	switch raw[0] {
	case '[':
		var items []T
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, fmt.Errorf("Data.%s: %w", key, err)
		}
		return items, nil
	case '{':
		var item T
		if err := json.Unmarshal(raw, &item); err != nil {
			return nil, fmt.Errorf("Data.%s: %w", key, err)
		}
		return []T{item}, nil
	}
	return nil, fmt.Errorf("Data.%s is neither an object nor a list: %.40q", key, raw)
}

func trimJSON(b []byte) []byte { return bytes.TrimSpace(b) }

// emptyJSON reports whether b is null, "", {} or [] (with any inner space).
func emptyJSON(b []byte) bool {
	s := string(b)
	switch s {
	case "", "null", `""`:
		return true
	}
	if len(s) >= 2 && (s[0] == '{' && s[len(s)-1] == '}' || s[0] == '[' && s[len(s)-1] == ']') {
		return strings.TrimSpace(s[1:len(s)-1]) == ""
	}
	return false
}

// chinaTime is China Standard Time, in which the service writes its date strings.
var chinaTime = time.FixedZone("CST", 8*60*60)

// serviceTimeLayouts are the layouts of the date strings the service sends;
// those without a zone are read in China Standard Time.
var serviceTimeLayouts = []string{
	"2006-01-02 15:04:05",
	time.RFC3339Nano,
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05",
	"Jan 2,2006 15:04:05",
	"Jan 2, 2006 15:04:05",
	"2006-01-02",
}

// ParseServiceTime parses a date the service wrote as a string (see
// serviceTimeLayouts) or as Unix milliseconds, and returns it in UTC. An
// empty string is the zero time.
func ParseServiceTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		if ms == 0 {
			return time.Time{}, nil
		}
		return time.UnixMilli(ms).UTC(), nil
	}
	for _, layout := range serviceTimeLayouts {
		if t, err := time.ParseInLocation(layout, s, chinaTime); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("not a date: %.40q", s)
}

// ServiceTime decodes a date sent as "2006-01-02 15:04:05" (China Standard
// Time), another layout of serviceTimeLayouts, or Unix milliseconds as a
// number or a numeric string; empty and null are the zero time. The result
// is in UTC.
type ServiceTime time.Time

// UnmarshalJSON accepts a date string, a number of milliseconds or null.
func (t *ServiceTime) UnmarshalJSON(b []byte) error {
	var s string
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	} else if string(b) != "null" {
		s = string(b)
	}
	v, err := ParseServiceTime(s)
	if err != nil {
		return err
	}
	*t = ServiceTime(v)
	return nil
}

// UnmarshalXML accepts an element whose text is a date or milliseconds.
func (t *ServiceTime) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var s string
	if err := d.DecodeElement(&s, &start); err != nil {
		return err
	}
	v, err := ParseServiceTime(s)
	if err != nil {
		return err
	}
	*t = ServiceTime(v)
	return nil
}

// OptionalInt is an integer that remembers whether it was sent at all.
type OptionalInt struct {
	V  int64 // the value, when OK
	OK bool  // whether the answer carried it
}

// UnmarshalJSON accepts what FlexInt does; "" and null leave it unset.
func (n *OptionalInt) UnmarshalJSON(b []byte) error {
	s, err := jsonScalarText(b)
	if err != nil {
		return err
	}
	return n.set(s)
}

// UnmarshalXML accepts an element whose text is an integer or empty.
func (n *OptionalInt) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var s string
	if err := d.DecodeElement(&s, &start); err != nil {
		return err
	}
	return n.set(s)
}

// set parses the text of the integer; blank or null leaves it unset.
func (n *OptionalInt) set(s string) error {
	if s = strings.TrimSpace(s); s == "" || s == "null" {
		*n = OptionalInt{}
		return nil
	}
	v, err := parseFlexInt(s)
	if err != nil {
		return err
	}
	*n = OptionalInt{V: int64(v), OK: true}
	return nil
}

// FlexInt decodes an integer sent as a JSON number, a numeric string, an
// empty string or null, as the service does not always send the same.
type FlexInt int64

// UnmarshalJSON accepts 12, "12", "" and null.
func (n *FlexInt) UnmarshalJSON(b []byte) error {
	s, err := jsonScalarText(b)
	if err != nil {
		return err
	}
	v, err := parseFlexInt(s)
	*n = v
	return err
}

// UnmarshalXML accepts an element whose text is an integer or empty.
func (n *FlexInt) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var s string
	if err := d.DecodeElement(&s, &start); err != nil {
		return err
	}
	v, err := parseFlexInt(s)
	*n = v
	return err
}

// jsonScalarText returns the text of a JSON scalar: a string's content
// (unquoted, escapes decoded), "" for null, else the literal itself, so
// that JSON and XML values go through the same parser.
func jsonScalarText(b []byte) (string, error) {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) > 0 && b[0] == '"':
		var s string
		err := json.Unmarshal(b, &s)
		return s, err
	case string(b) == "null":
		return "", nil
	}
	return string(b), nil
}

// parseFlexInt parses the text of an integer, from JSON or XML alike:
// surrounding space is ignored, "" and "null" are 0, and a number with an
// exponent and no fraction (1.7e12) is accepted.
func parseFlexInt(s string) (FlexInt, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "null" {
		return 0, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f != float64(int64(f)) {
			return 0, fmt.Errorf("not an integer: %.40q", s)
		}
		v = int64(f)
	}
	return FlexInt(v), nil
}

// FlexBool decodes a boolean sent as true/false, "true"/"false" or 1/0.
type FlexBool bool

// UnmarshalJSON accepts true, "true", 1, "1" and their opposites, "" and null.
func (p *FlexBool) UnmarshalJSON(b []byte) error {
	s, err := jsonScalarText(b)
	if err != nil {
		return err
	}
	v, err := parseFlexBool(s)
	*p = v
	return err
}

// UnmarshalXML accepts an element whose text is a boolean.
func (p *FlexBool) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var s string
	if err := d.DecodeElement(&s, &start); err != nil {
		return err
	}
	v, err := parseFlexBool(s)
	*p = v
	return err
}

// parseFlexBool parses the text of a boolean, from JSON or XML alike.
func parseFlexBool(s string) (FlexBool, error) {
	switch strings.TrimSpace(s) {
	case "true", "1", "True", "TRUE":
		return true, nil
	case "false", "0", "False", "FALSE", "", "null":
		return false, nil
	}
	return false, fmt.Errorf("not a boolean: %.40q", s)
}

// FlexString decodes a string that the service sometimes sends as a number.
type FlexString string

// UnmarshalJSON accepts a string, a number or null.
func (p *FlexString) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*p = FlexString(s)
		return nil
	}
	if string(b) == "null" {
		*p = ""
		return nil
	}
	var num json.Number
	if err := json.Unmarshal(b, &num); err != nil {
		return fmt.Errorf("not a string or number: %.40q", b)
	}
	*p = FlexString(num)
	return nil
}

// FlexFloat decodes a number sent as a JSON number, a numeric string, an
// empty string or null (v1 and v2 models disagree on CheckDomain's money).
type FlexFloat float64

// UnmarshalJSON accepts 16.22, "16.22", "" and null.
func (f *FlexFloat) UnmarshalJSON(b []byte) error {
	s, err := jsonScalarText(b)
	if err != nil {
		return err
	}
	v, err := parseFlexFloat(s)
	*f = v
	return err
}

// UnmarshalXML accepts an element whose text is a number or empty.
func (f *FlexFloat) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var s string
	if err := d.DecodeElement(&s, &start); err != nil {
		return err
	}
	v, err := parseFlexFloat(s)
	*f = v
	return err
}

// parseFlexFloat parses the text of a finite number; "" and "null" are 0.
func parseFlexFloat(s string) (FlexFloat, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "null" {
		return 0, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Errorf("not a number: %.40q", s)
	}
	return FlexFloat(v), nil
}

// OptionalFloat is a number that remembers whether it was sent at all: a
// price left out, null or "" is no price, never a price of 0.
type OptionalFloat struct {
	V  float64 // the value, when OK
	OK bool    // whether the answer carried it
}

// UnmarshalJSON accepts what FlexFloat does; "" and null leave it unset.
func (f *OptionalFloat) UnmarshalJSON(b []byte) error {
	s, err := jsonScalarText(b)
	if err != nil {
		return err
	}
	return f.set(s)
}

// UnmarshalXML accepts an element whose text is a number or empty.
func (f *OptionalFloat) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	var s string
	if err := d.DecodeElement(&s, &start); err != nil {
		return err
	}
	return f.set(s)
}

// set parses the text of the number; blank or null leaves it unset.
func (f *OptionalFloat) set(s string) error {
	if s = strings.TrimSpace(s); s == "" || s == "null" {
		*f = OptionalFloat{}
		return nil
	}
	v, err := parseFlexFloat(s)
	if err != nil {
		return err
	}
	*f = OptionalFloat{V: float64(v), OK: true}
	return nil
}
