package alidomain

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/alidomain/alidomain/internal/wire"
)

// reconcileTaskPageSize is the page size Reconcile lists tasks with.
const reconcileTaskPageSize = 100

// reconcileSkew is how far before `since` Reconcile looks (20 minutes): the service
// accepts a request whose Timestamp is up to 15 minutes off its own clock,
// so an order sent at SentAt by the client's clock may carry a CreateTime up
// to 15 minutes earlier; 5 minutes more is margin.
const reconcileSkew = 20 * time.Minute

// reconcileTasks is Reconcile for the orders whose TaskType match accepts
// (orders_reconcile.go).
func reconcileTasks(ctx context.Context, s *service, since time.Time, domains []string, match func(taskType string) bool, optFns []func(*Options)) (map[string]*TaskDetail, error) {
	if _, err := s.ready(ctx); err != nil {
		return nil, err
	}
	if len(domains) == 0 {
		return nil, &ValidationError{Field: "domains", Reason: "is empty: give the domains whose orders are in doubt"}
	}
	wanted := make(map[string]bool, len(domains))
	for i, name := range domains {
		if reason := checkDomainName(name); reason != "" {
			return nil, &ValidationError{Field: "domains[" + strconv.Itoa(i) + "]", Reason: reason}
		}
		wanted[wire.CanonicalName(name)] = true
	}
	if !since.IsZero() {
		since = since.Add(-reconcileSkew)
	}

	// Gather the redemption tasks first, so that the task list is read in
	// one pass. A task whose type the service left out cannot be ruled out.
	var tasks []TaskInfo
	seen := map[string]bool{}
	for t, err := range s.client.Tasks.ListIter(ctx, &ListTasksRequest{BeginCreateTime: since, PageSize: reconcileTaskPageSize}, optFns...) {
		if err != nil {
			return nil, err
		}
		if !match(t.TaskType) || seen[t.TaskNo] {
			continue
		}
		seen[t.TaskNo] = true
		tasks = append(tasks, t)
	}

	best := make(map[string]*TaskDetail, len(wanted))
	for _, t := range tasks {
		n := 0
		for d, err := range s.client.Tasks.ListDetailsIter(ctx, &ListTaskDetailsRequest{TaskNo: t.TaskNo, PageSize: maxDetailPageSize}, optFns...) {
			if err != nil {
				return nil, err
			}
			n++
			key := wire.CanonicalName(d.DomainName)
			if !wanted[key] || !match(d.TaskType) {
				continue
			}
			if cur := best[key]; cur == nil || betterDetail(&d, cur) {
				best[key] = &d
			}
		}
		if n < max(t.TaskNum, 1) {
			return nil, fmt.Errorf("alidomain: Reconcile: task %s has %d domains but the service listed %d of its details (details appear late): the outcome is still unknown, reconcile again later", oneLine(boundField(t.TaskNo)), max(t.TaskNum, 1), n)
		}
	}

	out := make(map[string]*TaskDetail, len(domains))
	for _, name := range domains {
		out[name] = best[wire.CanonicalName(name)]
	}
	return out, nil
}

// betterDetail reports whether a tells more than b about a domain's order:
// a detail that did not fail (an order placed or being placed) before one
// that failed, then the newer.
func betterDetail(a, b *TaskDetail) bool {
	if af, bf := a.Status == TaskFailed, b.Status == TaskFailed; af != bf {
		return bf
	}
	return newerDetail(a, b)
}

// newerDetail reports whether a was created after b (then, updated after).
func newerDetail(a, b *TaskDetail) bool {
	if !a.CreateTime.Equal(b.CreateTime) {
		return a.CreateTime.After(b.CreateTime)
	}
	return a.UpdateTime.After(b.UpdateTime)
}
