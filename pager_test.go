package alidomain

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/internal/wire"
)

// fakePages serves pages of ints: page n holds n*10+1 .. n*10+per.
type fakePages struct {
	calls []int
	total int // pages
	per   int
	// answer, if set, overrides the page the server says it answered.
	answer func(asked int) Page
	fail   map[int]error
}

func (f *fakePages) fetch(_ context.Context, n int) ([]int, Page, error) {
	f.calls = append(f.calls, n)
	if err := f.fail[n]; err != nil {
		return nil, Page{}, err
	}
	pg := Page{PageNum: n, PageSize: f.per, TotalPages: f.total, TotalItems: f.total * f.per, HasNext: n < f.total}
	if f.answer != nil {
		pg = f.answer(n)
	}
	var items []int
	if n <= f.total {
		for i := 1; i <= f.per; i++ {
			items = append(items, n*10+i)
		}
	}
	return items, pg, nil
}

// drainSeq ranges over seq, failing the test past limit items, and returns
// the items and errors seen.
func drainSeq[T any](t *testing.T, seq func(func(T, error) bool), limit int) ([]T, []error) {
	t.Helper()
	var items []T
	var errs []error
	n := 0
	for it, err := range seq {
		n++
		if n > limit {
			t.Fatalf("iterator yielded more than %d values: it does not stop", limit)
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		items = append(items, it)
	}
	return items, errs
}

func TestPagerAllPagesLazily(t *testing.T) {
	f := &fakePages{total: 3, per: 2}
	seq := pages(context.Background(), 0, f.fetch)
	require.Empty(t, f.calls, "nothing is fetched before the loop starts")
	items, errs := drainSeq(t, seq, 100)
	require.Empty(t, errs)
	require.Equal(t, []int{11, 12, 21, 22, 31, 32}, items)
	require.Equal(t, []int{1, 2, 3}, f.calls)

	// Ranging again starts again.
	items, _ = drainSeq(t, seq, 100)
	require.Len(t, items, 6)
	require.Equal(t, []int{1, 2, 3, 1, 2, 3}, f.calls)
}

func TestPagerStartsAtPageNum(t *testing.T) {
	f := &fakePages{total: 3, per: 1}
	items, errs := drainSeq(t, pages(context.Background(), 2, f.fetch), 100)
	require.Empty(t, errs)
	require.Equal(t, []int{21, 31}, items)
	require.Equal(t, []int{2, 3}, f.calls)
}

func TestPagerEarlyBreakFetchesNoMore(t *testing.T) {
	f := &fakePages{total: 5, per: 3}
	for v, err := range pages(context.Background(), 1, f.fetch) {
		require.NoError(t, err)
		if v == 12 {
			break
		}
	}
	require.Equal(t, []int{1}, f.calls)

	f.calls = nil
	for v := range pages(context.Background(), 1, f.fetch) {
		if v == 21 { // first item of page 2
			break
		}
	}
	require.Equal(t, []int{1, 2}, f.calls)
}

func TestPagerStopsOnNextPageFalseOrTotalPages(t *testing.T) {
	// HasNext false on page 1 although TotalPages says 3: stop.
	f := &fakePages{total: 3, per: 1, answer: func(n int) Page {
		return Page{PageNum: n, TotalPages: 3, HasNext: false}
	}}
	items, errs := drainSeq(t, pages(context.Background(), 1, f.fetch), 100)
	require.Empty(t, errs)
	require.Equal(t, []int{11}, items)
	require.Equal(t, []int{1}, f.calls)

	// HasNext true but the page number reached TotalPages: stop.
	f = &fakePages{total: 2, per: 1, answer: func(n int) Page {
		return Page{PageNum: n, TotalPages: 2, HasNext: true}
	}}
	items, errs = drainSeq(t, pages(context.Background(), 1, f.fetch), 100)
	require.Empty(t, errs)
	require.Equal(t, []int{11, 21}, items)
	require.Equal(t, []int{1, 2}, f.calls)
}

func TestPagerRepeatingPageIsAnError(t *testing.T) {
	// The server always answers page 1 and says there is more.
	f := &fakePages{total: 1000, per: 2, answer: func(int) Page {
		return Page{PageNum: 1, TotalPages: 1000, HasNext: true}
	}}
	items, errs := drainSeq(t, pages(context.Background(), 1, f.fetch), 100)
	require.Equal(t, []int{11, 12}, items, "page 1's items, then the error")
	require.Len(t, errs, 1)
	require.Contains(t, errs[0].Error(), "again")
	require.Equal(t, []int{1, 2}, f.calls)

	// A server that goes back is caught too.
	f = &fakePages{total: 1000, per: 1, answer: func(n int) Page {
		return Page{PageNum: min(n, 2), HasNext: true}
	}}
	_, errs = drainSeq(t, pages(context.Background(), 1, f.fetch), 100)
	require.Len(t, errs, 1)
	require.Equal(t, []int{1, 2, 3}, f.calls)
}

func TestPagerErrorYieldedOnceThenStops(t *testing.T) {
	boom := errors.New("boom")
	f := &fakePages{total: 3, per: 1, fail: map[int]error{2: boom}}
	var got []int
	var errs []error
	for v, err := range pages(context.Background(), 1, f.fetch) {
		if err != nil {
			require.Zero(t, v)
			errs = append(errs, err)
			continue // even a loop that goes on gets nothing more
		}
		got = append(got, v)
	}
	require.Equal(t, []int{11}, got)
	require.Equal(t, []error{boom}, errs)
	require.Equal(t, []int{1, 2}, f.calls)
}

func TestPagerEmptyPageStops(t *testing.T) {
	f := &fakePages{total: 1, per: 1, answer: func(n int) Page {
		return Page{PageNum: n, HasNext: true} // no TotalPages, always "more"
	}}
	items, errs := drainSeq(t, pages(context.Background(), 1, f.fetch), 100)
	require.Empty(t, errs)
	require.Equal(t, []int{11}, items)
	require.Equal(t, []int{1, 2}, f.calls)
}

func TestFailedSeqYieldsOnce(t *testing.T) {
	e := &ValidationError{Field: "X", Reason: "bad"}
	items, errs := drainSeq(t, failedSeq[int](e), 10)
	require.Empty(t, items)
	require.Equal(t, []error{e}, errs)
}

func TestWirePageHasNext(t *testing.T) {
	yes, no := wire.FlexBool(true), wire.FlexBool(false)
	require.True(t, (&wirePage{CurrentPageNum: oi(1), TotalPageNum: oi(1), NextPage: &yes}).page().HasNext)
	require.False(t, (&wirePage{CurrentPageNum: oi(1), TotalPageNum: oi(3), NextPage: &no}).page().HasNext)
	// NextPage absent: derived from the page numbers.
	require.True(t, (&wirePage{CurrentPageNum: oi(1), TotalPageNum: oi(3)}).page().HasNext)
	require.False(t, (&wirePage{CurrentPageNum: oi(3), TotalPageNum: oi(3)}).page().HasNext)
	require.Equal(t, Page{PageNum: 2, PageSize: 5, TotalPages: 3, TotalItems: 11, HasNext: true},
		(&wirePage{CurrentPageNum: oi(2), PageSize: oi(5), TotalPageNum: oi(3), TotalItemNum: oi(11)}).page())
}

// oi is an integer the service sent.
func oi(v int64) wire.OptionalInt { return wire.OptionalInt{V: v, OK: true} }
