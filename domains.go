package alidomain

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"time"

	"github.com/alidomain/alidomain/internal/wire"
)

// DomainService reads the account's domains (QueryDomainList,
// QueryDomainByDomainName), checks names and prices (CheckDomain,
// QueryDomainRealTimePrice) and turns auto-renewal on or off
// (SetupDomainAutoRenew).
type DomainService service

// DomainQueryType selects domains by what they need, for
// ListDomainsRequest.QueryType; empty lists every domain.
type DomainQueryType string

const (
	// QueryNeedsRenewal lists the domains the service reports as needing
	// renewal (DomainStatus 1). The service does not document this window.
	// Its help pages describe a renewal grace period of about 30 days after
	// expiration (28 for .hk), at the normal price, before the redemption
	// period: so the list can hold domains that expired days ago and are
	// still renewable, beside ones that expire soon. To select by date, set
	// StartExpirationDate and EndExpirationDate instead, and compare
	// ExpirationDate with the time now to tell the two apart.
	QueryNeedsRenewal DomainQueryType = "1"
	// QueryNeedsRedemption lists domains in their redemption period.
	QueryNeedsRedemption DomainQueryType = "2"
)

// String returns "needs renewal", "needs redemption", "all" for the empty
// type, or DomainQueryType("x") for another value.
func (q DomainQueryType) String() string {
	switch q {
	case "":
		return "all"
	case QueryNeedsRenewal:
		return "needs renewal"
	case QueryNeedsRedemption:
		return "needs redemption"
	}
	return "DomainQueryType(" + strconv.Quote(string(q)) + ")"
}

// DomainStatus is what a domain needs, as the service reports it.
type DomainStatus int

const (
	// DomainNeedsRenewal is a domain that expires soon or has expired and
	// can still be renewed.
	DomainNeedsRenewal DomainStatus = 1
	// DomainNeedsRedemption is a domain in its redemption period: it can
	// only be redeemed.
	DomainNeedsRedemption DomainStatus = 2
	// DomainNormal is a domain that needs nothing.
	DomainNormal DomainStatus = 3
)

// String returns "needs renewal", "needs redemption", "normal", or
// DomainStatus(n) for another value.
func (s DomainStatus) String() string {
	switch s {
	case DomainNeedsRenewal:
		return "needs renewal"
	case DomainNeedsRedemption:
		return "needs redemption"
	case DomainNormal:
		return "normal"
	}
	return "DomainStatus(" + strconv.Itoa(int(s)) + ")"
}

// ListDomainsRequest is the input of DomainService.List (QueryDomainList).
// Zero fields are not sent, so the service's defaults apply.
type ListDomainsRequest struct {
	// QueryType selects domains that need renewal or redemption; empty
	// lists all.
	QueryType DomainQueryType
	// DomainName filters by (part of) the name.
	DomainName string
	// StartExpirationDate and EndExpirationDate bound the expiration date;
	// they are sent as Unix milliseconds, and a zero time is not sent.
	StartExpirationDate time.Time
	EndExpirationDate   time.Time
	// OrderKeyType is the sort key, such as ExpirationDate; OrderByType is
	// ASC or DESC.
	OrderKeyType string
	OrderByType  string
	// ProductDomainType filters by domain type, such as gTLD or ccTLD;
	// DomainGroupID by group (sent as DomainGroupId).
	ProductDomainType string
	DomainGroupID     string
	// PageNum (from 1) and PageSize select a page; a zero PageNum is the
	// first page, a zero PageSize sends 20 (the service documents no
	// maximum). ListIter starts at PageNum and advances it itself.
	PageNum  int
	PageSize int
}

// wire returns the request as sent: the generated QueryDomainListRequest.
func (r *ListDomainsRequest) wire() *QueryDomainListRequest {
	if r == nil {
		return nil
	}
	return &QueryDomainListRequest{QueryType: string(r.QueryType), DomainName: r.DomainName,
		StartExpirationDate: r.StartExpirationDate, EndExpirationDate: r.EndExpirationDate,
		OrderKeyType: r.OrderKeyType, OrderByType: r.OrderByType, ProductDomainType: r.ProductDomainType,
		DomainGroupID: r.DomainGroupID, PageNum: r.PageNum, PageSize: r.PageSize}
}

// validate checks r (nil: every domain) without sending anything.
func (r *ListDomainsRequest) validate() error {
	if r == nil {
		return nil
	}
	return checkPaging(r.PageNum, r.PageSize, 0, "StartExpirationDate", r.StartExpirationDate, "EndExpirationDate", r.EndExpirationDate)
}

// Domain is one domain of the account, as QueryDomainList reports it.
type Domain struct {
	// DomainName is the domain's name.
	DomainName string
	// InstanceID is the service's instance ID of the domain.
	InstanceID string
	// DomainType is the domain's type, such as gTLD or ccTLD.
	DomainType string
	// Remark is the account holder's note on the domain.
	Remark string
	// DomainStatus is what the domain needs: renewal, redemption or nothing.
	DomainStatus DomainStatus
	// ExpirationDate is when the domain expires, in UTC, exact to the
	// millisecond (from ExpirationDateLong). RedeemDomain and RenewDomain
	// pass it on unchanged, as redemption and renewal orders must quote it.
	// It is never zero: a page with a domain whose date is missing or
	// before 2000 is an error.
	ExpirationDate time.Time
	// RegistrationDate is when the domain was registered, in UTC.
	RegistrationDate time.Time
	// ExpirationCurrDateDiff is the number of days from today to the
	// expiration date, negative once it has passed.
	ExpirationCurrDateDiff int
	// Premium reports whether the domain is a premium domain.
	Premium bool
	// AutoRenew reports whether the domain renews itself automatically
	// (AutoRenewEnabled; see DomainService.SetAutoRenew).
	AutoRenew bool
}

// RedeemDomain returns what a redemption order needs for d: its name and
// its exact expiration date.
func (d Domain) RedeemDomain() RedeemDomain {
	return RedeemDomain{DomainName: d.DomainName, CurrentExpirationDate: d.ExpirationDate}
}

// DomainPage is one page of QueryDomainList.
type DomainPage struct {
	Meta
	Page
	// Items are the page's domains.
	Items []Domain
}

// wireDomain is one domain on the wire.
type wireDomain struct {
	DomainName             string          `json:"DomainName" xml:"DomainName"`
	InstanceID             wire.FlexString `json:"InstanceId" xml:"InstanceId"`
	ExpirationDate         wire.FlexString `json:"ExpirationDate" xml:"ExpirationDate"`
	ExpirationDateLong     wire.FlexInt    `json:"ExpirationDateLong" xml:"ExpirationDateLong"`
	RegistrationDate       wire.FlexString `json:"RegistrationDate" xml:"RegistrationDate"`
	RegistrationDateLong   wire.FlexInt    `json:"RegistrationDateLong" xml:"RegistrationDateLong"`
	DomainType             wire.FlexString `json:"DomainType" xml:"DomainType"`
	DomainStatus           wire.FlexInt    `json:"DomainStatus" xml:"DomainStatus"`
	Premium                wire.FlexBool   `json:"Premium" xml:"Premium"`
	ExpirationCurrDateDiff wire.FlexInt    `json:"ExpirationCurrDateDiff" xml:"ExpirationCurrDateDiff"`
	Remark                 wire.FlexString `json:"Remark" xml:"Remark"`
	AutoRenewEnabled       wire.FlexBool   `json:"AutoRenewEnabled" xml:"AutoRenewEnabled"`
}

func (wireDomain) listKey() string { return "Domain" }

// item converts the domain, and refuses one without a name, without an
// expiration date or with an unreadable or implausible date: a renewal or
// redemption order must quote both exactly.
func (w wireDomain) item() (Domain, error) {
	if w.DomainName == "" {
		return Domain{}, errors.New("the domain has no DomainName")
	}
	exp, err := expirationDate(int64(w.ExpirationDateLong), string(w.ExpirationDate))
	if err != nil {
		return Domain{}, fmt.Errorf("domain %s: ExpirationDate: %w", w.DomainName, err)
	}
	reg, err := registrationDate(int64(w.RegistrationDateLong), string(w.RegistrationDate))
	if err != nil {
		return Domain{}, fmt.Errorf("domain %s: RegistrationDate: %w", w.DomainName, err)
	}
	return Domain{
		DomainName:             w.DomainName,
		InstanceID:             string(w.InstanceID),
		DomainType:             string(w.DomainType),
		Remark:                 string(w.Remark),
		DomainStatus:           DomainStatus(w.DomainStatus),
		ExpirationDate:         exp,
		RegistrationDate:       reg,
		ExpirationCurrDateDiff: int(w.ExpirationCurrDateDiff),
		Premium:                bool(w.Premium),
		AutoRenew:              bool(w.AutoRenewEnabled),
	}, nil
}

// Plausibility floors of the dates a domain's answer carries: no domain
// was registered before the first .com (1985), and none that an account
// holds expired before 2000. A date below them is a sentinel or garbage
// (ExpirationDateLong -1 reads as 1969), never a date to quote in an order.
var (
	minRegistrationDate = time.Date(1985, 1, 1, 0, 0, 0, 0, time.UTC)
	minExpirationDate   = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
)

// expirationDate returns a domain's expiration date, which every answer
// about a domain must carry (an order quotes it exactly): from its Unix
// milliseconds, or, when those are absent, its string form (China Standard
// Time), in UTC. Missing, unreadable or before 2000 is an error.
func expirationDate(ms int64, s string) (time.Time, error) {
	t, err := serviceDate(ms, s)
	switch {
	case err != nil:
		return time.Time{}, err
	case t.IsZero():
		return time.Time{}, errors.New("missing (neither ExpirationDateLong nor ExpirationDate)")
	case t.Before(minExpirationDate):
		return time.Time{}, fmt.Errorf("%s is before 2000: not a date the domain expires (ExpirationDateLong %d)", t.Format(time.RFC3339), ms)
	}
	return t, nil
}

// registrationDate returns a domain's registration date as expirationDate
// does, except that a missing one is the zero time; one before 1985 is an
// error.
func registrationDate(ms int64, s string) (time.Time, error) {
	t, err := serviceDate(ms, s)
	if err == nil && !t.IsZero() && t.Before(minRegistrationDate) {
		return time.Time{}, fmt.Errorf("%s is before 1985: not a date a domain was registered (RegistrationDateLong %d)", t.Format(time.RFC3339), ms)
	}
	return t, err
}

// serviceDate returns the date from its Unix milliseconds, or, when those
// are absent, from its string form (China Standard Time), in UTC; neither:
// the zero time.
func serviceDate(ms int64, s string) (time.Time, error) {
	if ms != 0 {
		return time.UnixMilli(ms).UTC(), nil
	}
	return wire.ParseServiceTime(s)
}

// opQueryDomainList sends the generated request; List and ListIter check
// the friendly one first.
var opQueryDomainList = &operation[QueryDomainListRequest, listResponse[wireDomain, Domain], listPage[Domain]]{
	action:     "QueryDomainList",
	idempotent: true,
	paging:     func(r *QueryDomainListRequest) (*int, *int) { return &r.PageNum, &r.PageSize },
	check:      (*listResponse[wireDomain, Domain]).convert,
	result:     listResult[wireDomain, Domain],
}

// List returns one page of the account's domains (QueryDomainList). A nil
// req lists every domain, first page, default page size. Use ListIter to go
// through every page. No matching domain is an empty page (the service
// answers TotalItemNum 0, possibly without Data); a page within the list
// without items while TotalItemNum is not 0 is an error.
func (s *DomainService) List(ctx context.Context, req *ListDomainsRequest, optFns ...func(*Options)) (*DomainPage, error) {
	if _, err := (*service)(s).ready(ctx); err != nil {
		return nil, err
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	p, err := opQueryDomainList.call(ctx, (*service)(s), req.wire(), optFns)
	return (*DomainPage)(p), err
}

// ListIter returns an iterator over every domain that req selects, page
// after page, starting at req.PageNum (or 1), req.PageSize domains a page
// (20 when zero: one request per 20 domains). It sends nothing until the
// loop starts and no further request once the loop breaks; req is copied
// when ListIter is called and never modified. On a failure the iterator
// yields the error once and stops.
//
//	for d, err := range client.Domains.ListIter(ctx, &alidomain.ListDomainsRequest{
//		QueryType: alidomain.QueryNeedsRedemption,
//	}) {
//		if err != nil {
//			return err
//		}
//		batch = append(batch, d.RedeemDomain())
//	}
func (s *DomainService) ListIter(ctx context.Context, req *ListDomainsRequest, optFns ...func(*Options)) iter.Seq2[Domain, error] {
	if err := req.validate(); err != nil {
		return failedSeq[Domain](err)
	}
	return listIter(ctx, (*service)(s), opQueryDomainList, req.wire(), optFns)
}
