package alidomain

import (
	"context"

	"github.com/alidomain/alidomain/internal/wire"
)

// ReconcileIntlFixedPriceDomainOrder finds out what became of a
// CreateIntlFixedPriceDomainOrder whose outcome is unknown: it lists the
// account's fixed-price orders (QueryIntlFixedPriceOrderList, every page)
// and returns those of domain, compared in canonical form (IDNA ASCII,
// lower case). None means no order of that domain exists: it may be
// placed again. The list gives no OrderNo, so an order placed earlier for
// the same domain is returned too; tell them apart by CreateTime and
// Status.
//
// The two reserve-drop orders (SaveBatchTaskForReserveDropListDomain,
// SaveSingleTaskForReserveDropListDomain) have no Reconcile: the TaskType
// of their task is documented nowhere, so read Tasks.List instead.
func (a *API) ReconcileIntlFixedPriceDomainOrder(ctx context.Context, domain string, optFns ...func(*Options)) ([]QueryIntlFixedPriceOrderListData, error) {
	if domain == "" {
		return nil, &ValidationError{Field: "domain", Reason: "is empty: give the domain the order was for"}
	}
	want := wire.CanonicalName(domain)
	var out []QueryIntlFixedPriceOrderListData
	for o, err := range a.QueryIntlFixedPriceOrderListIter(ctx, &QueryIntlFixedPriceOrderListRequest{PageSize: 100}, optFns...) {
		if err != nil {
			return nil, err
		}
		if wire.CanonicalName(o.Domain) == want {
			out = append(out, o)
		}
	}
	return out, nil
}
