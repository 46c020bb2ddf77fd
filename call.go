package alidomain

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/url"
	"reflect"

	"github.com/alidomain/alidomain/internal/redact"
	"github.com/alidomain/alidomain/internal/sign"
	"github.com/alidomain/alidomain/internal/wire"
)

// CallRequest is a call of an action the SDK does not type yet, for
// Client.Call.
type CallRequest struct {
	// Action is the API action, such as QueryDomainByDomainName.
	Action string
	// Params are the action's parameters, lists already flattened
	// ("OrderRenewParam.1.DomainName"). The common parameters (Action,
	// AccessKeyId, Signature*, Timestamp, Version, Format, SecurityToken)
	// are the SDK's and may not be given. Lang overrides Options.Lang, and
	// an empty Lang sends none (for an action whose API has no Lang). The
	// values of parameters whose name contains AuthorizationCode, Password,
	// Secret or Token (in any case) are secrets: errors and logs never
	// quote them, in any encoding.
	Params url.Values
	// Idempotent says the action is safe to repeat (a read). False, the
	// default, gets the rule for paid orders: the request is re-sent only
	// when it provably did not take effect, since an action the SDK does
	// not know may cost money. For the actions of the catalog (every
	// action of the API) the catalog decides: reads are retried as reads
	// whatever Idempotent says, and Idempotent is refused for a write the
	// catalog does not mark safe to repeat (every paid order, for
	// instance), which always gets that rule.
	Idempotent bool
}

// Call calls any action, untyped, with the same signing, retries, error
// decoding and logging as the typed methods. The answer is decoded into
// out: a non-nil pointer to a struct (with json and, for XML, xml tags), a
// non-nil *map[string]any (JSON or XML; XML elements become maps, repeated
// ones lists, text strings), or nil to discard it. An answer carrying a
// Code is an *APIError. A paid order the SDK knows answered without a
// TaskNo is an *OutcomeUnknownError, as with the typed methods. Meta says
// which request answered and after how many attempts, also with an error
// when an answer came.
func (c *Client) Call(ctx context.Context, req *CallRequest, out any, optFns ...func(*Options)) (Meta, error) {
	cl, err := (&service{client: c}).ready(ctx)
	if err != nil {
		return Meta{}, err
	}
	if err := req.validate(); err != nil {
		return Meta{}, err
	}
	if err := checkOut(out); err != nil {
		return Meta{}, err
	}
	info, _ := lookupAction(req.Action)
	t := &untyped{out: out, paid: info != nil && info.kind == actionPaidOrder, byOrderNo: info != nil && info.result == "Module.OrderNo"}
	params := make(url.Values, len(req.Params))
	var secrets []string
	for k, vs := range req.Params {
		if k != "Lang" {
			params[k] = vs
		}
		if secretParam(k) || knownSecretParam(info, k) {
			secrets = append(secrets, vs...)
		}
	}
	langs, hasLang := req.Params["Lang"]
	cr := &encodedCall{action: req.Action, idempotent: callIdempotent(req.Action, req.Idempotent), params: wire.EncodeValues(params), secrets: secrets}
	if hasLang {
		cr.lang = req.Params.Get("Lang")
		cr.noLang = len(langs) == 0 || langs[0] == ""
	}
	return cl.invoke(ctx, cr, t, optFns)
}

// checkOut refuses, before anything is sent, an out that Call cannot decode
// into: decoding into a nil pointer would fail only once the answer came,
// after a paid order was placed.
func checkOut(out any) error {
	if out == nil {
		return nil
	}
	v := reflect.ValueOf(out)
	_, isMap := out.(*map[string]any)
	switch {
	case v.Kind() != reflect.Pointer || !isMap && v.Type().Elem().Kind() != reflect.Struct:
		return fmt.Errorf("alidomain: Call: out is %T; want a pointer to a struct, a *map[string]any or nil (nothing was sent)", out)
	case v.IsNil():
		return fmt.Errorf("alidomain: Call: out is a nil %T; want a non-nil pointer to a struct, a *map[string]any or nil (nothing was sent)", out)
	}
	return nil
}

// secretParam reports whether a parameter's value is a secret that errors
// never quote: its name contains AuthorizationCode, Password, Secret or
// Token in any case, also inside a flattened list
// (OrderTransferParam.1.AuthorizationCode).
func secretParam(name string) bool { return redact.SecretName(name) }

// validate checks the request without sending anything.
func (r *CallRequest) validate() error {
	if r == nil {
		return &ValidationError{Field: "CallRequest", Reason: "is nil"}
	}
	if r.Action == "" {
		return &ValidationError{Field: "Action", Reason: "is empty"}
	}
	for i := 0; i < len(r.Action); i++ {
		if c := r.Action[i]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return &ValidationError{Field: "Action", Reason: fmt.Sprintf("%q is not an action name (letters and digits)", r.Action)}
		}
	}
	for k := range r.Params {
		if sign.Reserved(k) {
			return &ValidationError{Field: "Params", Reason: fmt.Sprintf("%s is set by the SDK", k)}
		}
	}
	if info, ok := lookupAction(r.Action); ok && r.Idempotent && !info.repeatSafe {
		what := "a write the catalog does not mark safe to repeat"
		if info.kind == actionPaidOrder {
			what = "a paid order, never safe to repeat"
		}
		return &ValidationError{Field: "Idempotent", Reason: fmt.Sprintf("%s is %s: leave Idempotent false, "+
			"so that it is re-sent only when it provably did not take effect", r.Action, what)}
	}
	if err := checkLang("Params[Lang]", r.Params.Get("Lang")); err != nil {
		return err
	}
	return nil
}

// untyped is the target of Client.Call: the envelope, and out if any. For
// a paid order the SDK knows, the envelope is the typed orders' answer, so
// that an answer without a TaskNo is refused as theirs is.
type untyped struct {
	env  submitResponse
	out  any
	paid bool
	// byOrderNo: the paid order answers with Module.OrderNo, not a TaskNo
	// (the fixed-price order).
	byOrderNo bool
	order     struct {
		Module struct {
			OrderNo string `json:"OrderNo" xml:"OrderNo"`
		} `json:"Module" xml:"Module"`
	}
}

func (u *untyped) reset() {
	u.env = submitResponse{}
	u.order.Module.OrderNo = ""
	switch o := u.out.(type) {
	case nil:
	case *map[string]any:
		*o = nil
	default:
		v := reflect.ValueOf(o).Elem()
		v.Set(reflect.Zero(v.Type()))
	}
}

// decode decodes body into the envelope and out. A panic of out's own
// decoding (an UnmarshalJSON method) is an error: the answer may be a paid
// order's, whose Meta the caller must get.
func (u *untyped) decode(body []byte, xmlOK bool) (err error) {
	if u.byOrderNo {
		if err = wire.DecodeBody(body, xmlOK, &u.env.wireMeta); err == nil {
			err = wire.DecodeBody(body, xmlOK, &u.order)
		}
	} else if u.paid {
		err = wire.DecodeBody(body, xmlOK, &u.env)
	} else {
		err = wire.DecodeBody(body, xmlOK, &u.env.wireMeta)
	}
	if err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("decoding into %T panicked: %s", u.out, oneLine(boundField(fmt.Sprint(p))))
		}
	}()
	m, isMap := u.out.(*map[string]any)
	trimmed := bytes.TrimSpace(body)
	switch {
	case u.out == nil:
		return nil
	case !isMap:
		return wire.DecodeBody(trimmed, xmlOK, u.out)
	case trimmed[0] == '<':
		v, err := xmlToMap(xml.NewDecoder(bytes.NewReader(trimmed)))
		*m = v
		return err
	}
	return json.Unmarshal(trimmed, m)
}

func (u *untyped) Folded() wireMeta { return u.env.Folded() }

// check refuses a known paid order's answer without a TaskNo (or, for the
// fixed-price order, without its Module.OrderNo).
func (u *untyped) check() error {
	switch {
	case u.byOrderNo && u.order.Module.OrderNo == "":
		return errors.New("the response has no Module.OrderNo")
	case u.byOrderNo:
		return nil
	case u.paid:
		return u.env.check()
	}
	return nil
}

// xmlToMap decodes the document's root element into a map: each child
// element a key, repeated children a []any, elements without children their
// text. (The depth was checked by wire.DecodeBody.)
func xmlToMap(d *xml.Decoder) (map[string]any, error) {
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, err
		}
		if _, ok := tok.(xml.StartElement); ok {
			v, err := xmlElement(d)
			if err != nil {
				return nil, err
			}
			if m, ok := v.(map[string]any); ok {
				return m, nil
			}
			return map[string]any{}, nil
		}
	}
}

// xmlElement decodes the rest of an element whose start was just read.
func xmlElement(d *xml.Decoder) (any, error) {
	var m map[string]any
	var text []byte
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.CharData:
			text = append(text, t...)
		case xml.StartElement:
			v, err := xmlElement(d)
			if err != nil {
				return nil, err
			}
			if m == nil {
				m = map[string]any{}
			}
			switch prev := m[t.Name.Local].(type) {
			case nil:
				m[t.Name.Local] = v
			case []any:
				m[t.Name.Local] = append(prev, v)
			default:
				m[t.Name.Local] = []any{prev, v}
			}
		case xml.EndElement:
			if m != nil {
				return m, nil
			}
			return string(bytes.TrimSpace(text)), nil
		}
	}
}
