package alidomain

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/alidomain/alidomain/internal/wire"
)

// redeemTaskType is the TaskType of redemption orders.
const redeemTaskType = "ORDER_REDEEM"

// reconcileTaskPageSize is the page size Reconcile lists tasks with.
const reconcileTaskPageSize = 100

// reconcileSkew is how far before `since` Reconcile looks (20 minutes): the service
// accepts a request whose Timestamp is up to 15 minutes off its own clock,
// so an order sent at SentAt by the client's clock may carry a CreateTime up
// to 15 minutes earlier; 5 minutes more is margin.
const reconcileSkew = 20 * time.Minute

// Reconcile finds out what became of redemption orders for domains: for
// each requested domain, the detail of an ORDER_REDEEM task created since
// `since` minus 20 minutes that tells most about it (a succeeded, waiting
// or executing one before a failed one; then the newest, by CreateTime), or
// nil when there is none. Every requested name is a key of the result,
// spelled as given; names are matched in canonical form (IDNA ASCII, lower
// case), so 例子.cn finds an order for xn--fsqu00a.cn and the reverse. The
// names are validated first (an empty list or a malformed name is a
// *ValidationError, and nothing is sent).
//
// It reads QueryTaskList from since minus 20 minutes (BeginCreateTime;
// every page), whatever since is, because the service's clock may be up to
// 15 minutes behind the client's; and QueryTaskDetailList for each
// redemption task found. So an older order can be reported; its CreateTime
// tells. A zero since is not sent: every task is read.
//
// An answer it cannot check is an error, never "no order": a redemption
// task whose details number fewer than its TaskNum (details appear late;
// call Reconcile again later), or any failed read.
//
// Use it after SubmitBatch or Submit failed with an *OutcomeUnknownError,
// before submitting again:
//
//	var unknown *alidomain.OutcomeUnknownError
//	if errors.As(err, &unknown) {
//		// Reconcile itself looks 20 minutes further back, for clock skew.
//		found, err := client.Redeem.Reconcile(ctx, unknown.SentAt, names)
//		if err != nil {
//			return err // unknown still: do not submit again
//		}
//		for name, d := range found {
//			if d == nil {
//				// no order was placed: safe to submit name again
//			}
//		}
//	}
//
// A nil detail means no order was placed since since minus 20 minutes;
// a detail that is waiting or executing means the order was placed and
// should be followed with TaskService.Wait (d.TaskNo); a failed one (only
// returned when no other detail for the domain exists) may be submitted
// again.
func (s *RedeemService) Reconcile(ctx context.Context, since time.Time, domains []string, optFns ...func(*Options)) (map[string]*TaskDetail, error) {
	return reconcileKind(ctx, (*service)(s), since, domains, isRedeemType, optFns)
}

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

// isRedeemType reports whether a task type is a redemption, or unknown.
func isRedeemType(t string) bool {
	return t == "" || strings.EqualFold(t, redeemTaskType)
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
