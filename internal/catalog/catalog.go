// Package catalog holds the facts of every Domain API (2018-01-29) action as
// data: catalog.json (extracted from the official SDK models and Alibaba's
// API metadata) and overlay.json (what no model states, each with a reason).
// Load merges the two; the generator, the simulator and the CLI read the
// result, so that an action's shape is written down once.
package catalog

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

//go:embed catalog.json
var factsJSON []byte

//go:embed overlay.json
var overlayJSON []byte

// Kind is what an action does, which decides how it may be retried.
type Kind string

// The kinds of actions.
const (
	// PaidOrder creates an order that costs money.
	PaidOrder Kind = "paid_order"
	// TaskWrite submits a task and answers with its TaskNo.
	TaskWrite Kind = "task_write"
	// Write changes something without submitting a task.
	Write Kind = "write"
	// Read changes nothing.
	Read Kind = "read"
	// PageList is a read that pages by PageNum and PageSize.
	PageList Kind = "page_list"
	// CursorList is a read that pages by a cursor the answer returns.
	CursorList Kind = "cursor_list"
)

// IsRead reports whether actions of kind k change nothing.
func (k Kind) IsRead() bool { return k == Read || k == PageList || k == CursorList }

// ListStyle is how a list parameter is put on the wire.
type ListStyle string

// The list styles.
const (
	// Flat is a single value (the empty style).
	Flat ListStyle = ""
	// Repeated sends Name.1, Name.2, ...
	Repeated ListStyle = "repeated"
	// RepeatedStruct sends Name.1.Field, Name.2.Field, ...
	RepeatedStruct ListStyle = "repeated_struct"
	// JSONList sends the list as one parameter holding a JSON array.
	JSONList ListStyle = "json"
)

// Position is where a parameter travels.
type Position string

// The positions.
const (
	// Query parameters go in the query string (or the signed form).
	Query Position = "query"
	// Body parameters go in the form body.
	Body Position = "body"
)

// Catalog is every action of the API.
type Catalog struct {
	// Product and Version name the API.
	Product string `json:"product"`
	Version string `json:"version"`
	// Actions are sorted by name.
	Actions []*Action `json:"actions"`

	byName map[string]*Action
}

// Action is one operation of the API.
type Action struct {
	// Name is the wire action name and the Go method name.
	Name string `json:"name"`
	// Kind is what the action does (overlay decides paid orders).
	Kind Kind `json:"kind"`
	// Summary is one line saying what the action is for.
	Summary string `json:"summary"`
	// Lang: the action takes the Lang parameter (error language).
	Lang bool `json:"lang,omitempty"`
	// RepeatSafe: sending it twice has the effect of sending it once. True
	// for every read; for a write only when the overlay says so.
	RepeatSafe bool `json:"repeat_safe,omitempty"`
	// RepeatReason is the overlay's reason a write is safe to repeat.
	RepeatReason string `json:"repeat_reason,omitempty"`
	// TaskType is the TaskType of the task a paid order creates (overlay).
	TaskType string `json:"task_type,omitempty"`
	// Request, when set (overlay), is the hand-written request type that
	// the generated one is an alias of: one struct carries the wire names
	// for the friendly service and the generated method.
	Request string `json:"request,omitempty"`
	// V1 is "absent" when the v1 SDK lacks the action.
	V1 string `json:"v1,omitempty"`
	// V1Only lists the parameters v1 sends that the 2026 API dropped.
	V1Only []string `json:"v1_only,omitempty"`
	// Params are the request parameters, sorted by wire name (Lang
	// included when the action takes it).
	Params []*Param `json:"params,omitempty"`
	// Answer is the answer's fields, RequestId included.
	Answer []*Field `json:"answer"`
	// Envelope names the fields of an answer that reports errors inside
	// an HTTP 200; nil for the others.
	Envelope *Envelope `json:"envelope,omitempty"`
	// Paging names a page list's paging fields.
	Paging *Paging `json:"paging,omitempty"`
	// Cursor names a cursor list's cursor fields.
	Cursor *Cursor `json:"cursor,omitempty"`
	// Partial names a partial-success answer's lists.
	Partial *Partial `json:"partial,omitempty"`
}

// Param is one request parameter.
type Param struct {
	// Wire is the parameter's name on the wire (for a struct list's
	// field: the name after Name.N.).
	Wire string `json:"wire"`
	// Go is the Go field name.
	Go string `json:"go"`
	// GoType, when set (overlay), is the Go type the generated field has
	// instead of the one Type maps to (a named type of the SDK).
	GoType string `json:"go_type,omitempty"`
	// Type is the value's type: string, integer, int32, int64, boolean,
	// float, double; for lists, the element's type (object for structs).
	Type string `json:"type"`
	// Required: the API refuses a request without it.
	Required bool `json:"required,omitempty"`
	// In is where it travels (empty for a struct list's fields).
	In Position `json:"in,omitempty"`
	// List is its list style; empty for a single value.
	List ListStyle `json:"list,omitempty"`
	// Fields are the fields of a struct list's element.
	Fields []*Param `json:"fields,omitempty"`
	// Documented limits and default ("" when none).
	MaxItems  int      `json:"max_items,omitempty"`
	MaxLength int      `json:"max_length,omitempty"`
	Min       *float64 `json:"min,omitempty"`
	Max       *float64 `json:"max,omitempty"`
	Default   string   `json:"default,omitempty"`
	Enum      []string `json:"enum,omitempty"`
	// Secret: the value never appears in errors or logs (overlay).
	Secret bool `json:"secret,omitempty"`
	// Money: the value is an amount of money (overlay).
	Money bool `json:"money,omitempty"`
	// Time is "unixmilli" for an instant sent as Unix milliseconds
	// (overlay).
	Time string `json:"time,omitempty"`
	// V1 is "absent" for a parameter added after the v1 SDK froze.
	V1 string `json:"v1,omitempty"`
}

// Field is one field of an answer.
type Field struct {
	// Wire is the JSON (and XML) name.
	Wire string `json:"wire"`
	// Go is the Go field name.
	Go string `json:"go"`
	// Type is string, integer, int32, int64, boolean, float, double,
	// object or array.
	Type string `json:"type"`
	// Elem is an array's element type (a scalar type or object).
	Elem string `json:"elem,omitempty"`
	// Fields are an object's fields, or an array's element's fields.
	Fields []*Field `json:"fields,omitempty"`
	// Wrapper: an object whose only field is an array, as the API wraps
	// lists ({"Data":{"Domain":[...]}}).
	Wrapper bool `json:"wrapper,omitempty"`
	// Time is "unixmilli" for an instant in Unix milliseconds (overlay).
	Time string `json:"time,omitempty"`
	// Money: the value is an amount of money (overlay).
	Money bool `json:"money,omitempty"`
	// Secret: the value never appears in logs (overlay).
	Secret bool `json:"secret,omitempty"`
	// V1 is "absent" for a field added after the v1 SDK froze, "string"
	// for a value v1 decodes as text.
	V1 string `json:"v1,omitempty"`
}

// Envelope describes an answer that wraps its payload in Module (the
// international-site style); where the answer also has Success, an HTTP
// 200 with Success false is an error, described by Code and Message.
type Envelope struct {
	// Module is the payload's field.
	Module string `json:"module,omitempty"`
	// Success is the in-band success flag; empty when the models give
	// none.
	Success string `json:"success,omitempty"`
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
	// Status is the HTTP-like status code field, if any.
	Status string `json:"status,omitempty"`
}

// Paging names a page list's parameters and answer fields (answer fields
// are dotted paths from the answer's top).
type Paging struct {
	PageNum    string `json:"page_num"`
	PageSize   string `json:"page_size"`
	Total      string `json:"total,omitempty"`
	Current    string `json:"current,omitempty"`
	TotalPages string `json:"total_pages,omitempty"`
	Next       string `json:"next,omitempty"`
	Prev       string `json:"prev,omitempty"`
	Items      string `json:"items"`
}

// Cursor names a cursor list's parameters and answer fields.
type Cursor struct {
	// Params are the request parameters the next call copies from the
	// answer: request wire name -> answer path.
	Params map[string]string `json:"params"`
	// PageSize is the page-size parameter.
	PageSize string `json:"page_size,omitempty"`
	// Items is the answer path of the list.
	Items string `json:"items"`
}

// Partial names the lists of a partial-success answer.
type Partial struct {
	Success string `json:"success"`
	Fail    string `json:"fail"`
}

// Overlay is what no SDK model states, each entry with its reason.
type Overlay struct {
	Entries []*OverlayEntry `json:"entries"`
}

// OverlayEntry sets facts on an action, one of its parameters (Param, a
// dotted path for struct-list fields) or one of its answer fields
// (Answer, a dotted path).
type OverlayEntry struct {
	Action string `json:"action"`
	Param  string `json:"param,omitempty"`
	Answer string `json:"answer,omitempty"`

	Kind       Kind   `json:"kind,omitempty"`
	RepeatSafe bool   `json:"repeat_safe,omitempty"`
	TaskType   string `json:"task_type,omitempty"`
	Secret     bool   `json:"secret,omitempty"`
	Go         string `json:"go,omitempty"`
	GoType     string `json:"go_type,omitempty"`
	Time       string `json:"time,omitempty"`
	Money      bool   `json:"money,omitempty"`
	Default    string `json:"default,omitempty"`
	Request    string `json:"request,omitempty"`

	Reason string `json:"reason"`
}

// Load parses the embedded catalog and merges the overlay into it.
func Load() (*Catalog, error) {
	var c Catalog
	if err := strict(factsJSON, &c); err != nil {
		return nil, fmt.Errorf("catalog.json: %w", err)
	}
	var o Overlay
	if err := strict(overlayJSON, &o); err != nil {
		return nil, fmt.Errorf("overlay.json: %w", err)
	}
	if err := c.index(); err != nil {
		return nil, err
	}
	if err := c.apply(&o); err != nil {
		return nil, err
	}
	for _, a := range c.Actions {
		if a.Kind.IsRead() {
			a.RepeatSafe = true
		}
	}
	return &c, nil
}

// strict decodes b into v, refusing keys the schema does not have, so
// that a misspelt fact fails loudly instead of vanishing.
func strict(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	return d.Decode(v)
}

// MustLoad is Load for callers that embed a catalog they trust.
func MustLoad() *Catalog {
	c, err := Load()
	if err != nil {
		panic(err)
	}
	return c
}

// Lookup returns the named action, or nil.
func (c *Catalog) Lookup(action string) *Action { return c.byName[action] }

func (c *Catalog) index() error {
	c.byName = make(map[string]*Action, len(c.Actions))
	if !sort.SliceIsSorted(c.Actions, func(i, j int) bool { return c.Actions[i].Name < c.Actions[j].Name }) {
		return fmt.Errorf("catalog.json: actions not sorted by name")
	}
	for _, a := range c.Actions {
		if _, dup := c.byName[a.Name]; dup {
			return fmt.Errorf("catalog.json: action %s twice", a.Name)
		}
		c.byName[a.Name] = a
	}
	return nil
}

func (c *Catalog) apply(o *Overlay) error {
	for i, e := range o.Entries {
		where := fmt.Sprintf("overlay.json entry %d (%s)", i, e.Action)
		if strings.TrimSpace(e.Reason) == "" {
			return fmt.Errorf("%s: no reason", where)
		}
		a := c.byName[e.Action]
		if a == nil {
			return fmt.Errorf("%s: no such action", where)
		}
		switch {
		case e.Param != "" && e.Answer != "":
			return fmt.Errorf("%s: both param and answer", where)
		case e.Param != "":
			p := findParam(a.Params, e.Param)
			if p == nil {
				return fmt.Errorf("%s: no parameter %s", where, e.Param)
			}
			if e.Kind != "" || e.RepeatSafe || e.TaskType != "" || e.Request != "" {
				return fmt.Errorf("%s: action facts on a parameter", where)
			}
			p.Secret = p.Secret || e.Secret
			p.Money = p.Money || e.Money
			if e.Go != "" {
				p.Go = e.Go
			}
			if e.GoType != "" {
				p.GoType = e.GoType
			}
			if e.Time != "" {
				p.Time = e.Time
			}
			if e.Default != "" {
				p.Default = e.Default
			}
		case e.Answer != "":
			f := FindField(a.Answer, e.Answer)
			if f == nil {
				return fmt.Errorf("%s: no answer field %s", where, e.Answer)
			}
			if e.Kind != "" || e.RepeatSafe || e.TaskType != "" || e.Default != "" || e.GoType != "" || e.Request != "" {
				return fmt.Errorf("%s: action or parameter facts on an answer field", where)
			}
			f.Secret = f.Secret || e.Secret
			f.Money = f.Money || e.Money
			if e.Go != "" {
				f.Go = e.Go
			}
			if e.Time != "" {
				f.Time = e.Time
			}
		default:
			if e.Secret || e.Go != "" || e.GoType != "" || e.Time != "" || e.Money || e.Default != "" {
				return fmt.Errorf("%s: field facts without param or answer", where)
			}
			if e.Kind != "" {
				a.Kind = e.Kind
			}
			if e.RepeatSafe {
				if a.Kind != Write {
					return fmt.Errorf("%s: only a write that creates nothing may be repeat-safe, not a %s", where, a.Kind)
				}
				a.RepeatSafe = true
				a.RepeatReason = e.Reason
			}
			if e.Request != "" {
				a.Request = e.Request
			}
			if e.TaskType != "" {
				a.TaskType = e.TaskType
			}
		}
	}
	return nil
}

// findParam finds a parameter by wire name, or a struct-list field by
// "List.Field".
func findParam(ps []*Param, path string) *Param {
	head, rest, nested := strings.Cut(path, ".")
	for _, p := range ps {
		if p.Wire != head {
			continue
		}
		if !nested {
			return p
		}
		return findParam(p.Fields, rest)
	}
	return nil
}

// FindField finds an answer field by its dotted wire path (array
// elements' fields are reached through the array's name).
func FindField(fs []*Field, path string) *Field {
	head, rest, nested := strings.Cut(path, ".")
	for _, f := range fs {
		if f.Wire != head {
			continue
		}
		if !nested {
			return f
		}
		return FindField(f.Fields, rest)
	}
	return nil
}

// Param returns the action's parameter with the given wire name (or
// "List.Field" path), or nil.
func (a *Action) Param(path string) *Param { return findParam(a.Params, path) }
