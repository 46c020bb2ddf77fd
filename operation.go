package alidomain

import (
	"context"

	"github.com/alidomain/alidomain/internal/wire"
)

// response is what an operation decodes: a wire answer with the gateway's
// envelope (internal/wire decodes it).
type response = wire.Response

// wireMeta is the envelope every wire answer embeds.
type wireMeta = wire.Envelope

// operation declares one API action, once: its name, whether repeating it
// is harmless, how its request is checked and its answer checked and
// turned into the result. The request's wire names are its `url` tags
// (internal/wire). Service methods call op.call.
type operation[Req any, Resp response, Out any] struct {
	action     string
	idempotent bool   // reads are; orders that cost money are not
	taskType   string // orders: the TaskType of the task the order creates
	// noLang: the action's API has no Lang parameter (docs/wire.md, Lang), so
	// Options.Lang is never sent with it.
	noLang bool

	// validate checks the request before anything is sent; nil: nothing to
	// check. It is given nil when the caller passed nil.
	validate func(*Req) error
	// paging, for lists, points at the request's PageNum and PageSize, so
	// that the defaults are sent and the iterator can advance.
	paging func(*Req) (num, size *int)
	// check refuses a decoded answer that cannot be used (for a paid
	// order: an outcome to reconcile); nil: every answer is usable.
	check func(*Resp) error
	// answers, after check, refuses a decoded answer that does not answer
	// req (a price list missing a domain asked for); nil: nothing to match.
	answers func(*Req, *Resp) error
	// result makes the public result.
	result func(*Resp, Meta) *Out
	// secrets returns the request's secret values (a transfer's
	// AuthorizationCode), scrubbed from every error; nil: none.
	secrets func(*Req) []string
}

// call validates req, encodes it once and invokes the action.
func (op *operation[Req, Resp, Out]) call(ctx context.Context, s *service, req *Req, optFns []func(*Options)) (*Out, error) {
	c, err := s.ready(ctx)
	if err != nil {
		return nil, err
	}
	if op.validate != nil {
		if err := op.validate(req); err != nil {
			return nil, err
		}
	}
	if op.paging != nil {
		var r Req
		if req != nil {
			r = *req
		}
		num, size := op.paging(&r)
		*num = max(*num, 1)
		if *size == 0 {
			*size = defaultPageSize
		}
		req = &r
	}
	ps, lang, err := wire.EncodeRequest(req)
	if err != nil {
		return nil, err
	}
	t := typed[Resp]{checkFn: op.check}
	if op.answers != nil {
		t.checkFn = func(r *Resp) error {
			if op.check != nil {
				if err := op.check(r); err != nil {
					return err
				}
			}
			return op.answers(req, r)
		}
	}
	cl := &encodedCall{action: op.action, idempotent: op.idempotent, params: ps, lang: lang, noLang: op.noLang}
	if op.secrets != nil && req != nil {
		cl.secrets = op.secrets(req)
	}
	meta, err := c.invoke(ctx, cl, &t, optFns)
	if err != nil {
		return nil, err
	}
	return op.result(&t.r, meta), nil
}

// typed is the target of a declared operation's answer.
type typed[Resp response] struct {
	r       Resp
	checkFn func(*Resp) error
}

func (t *typed[Resp]) reset() { var zero Resp; t.r = zero }
func (t *typed[Resp]) decode(b []byte, xmlOK bool) error {
	return wire.DecodeBody(b, xmlOK, &t.r)
}
func (t *typed[Resp]) Folded() wireMeta { return t.r.Folded() }
func (t *typed[Resp]) check() error {
	if t.checkFn == nil {
		return nil
	}
	return t.checkFn(&t.r)
}
