package alidomain

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// redeemTaskType is the TaskType of redemption orders.
const redeemTaskType = "ORDER_REDEEM"

// reconcileTaskPageSize is the page size Reconcile lists tasks with.
const reconcileTaskPageSize = 100

// Reconcile finds out what became of redemption orders for domains: for
// each requested domain, the newest detail (by CreateTime) of an
// ORDER_REDEEM task created since `since`, or nil when there is none. Every
// requested name is a key of the result, spelled as given; names are
// matched without regard to case. The names are validated first (an empty
// list or a malformed name is a *ValidationError, and nothing is sent).
//
// It reads QueryTaskList from since (BeginCreateTime; every page) and
// QueryTaskDetailList for each redemption task found. The service may apply
// since to whole days, so an older order of the same day can be reported;
// its CreateTime tells. A zero since is not sent: every task is read.
//
// Use it after SubmitBatch or Submit failed with an *OutcomeUnknownError,
// before submitting again:
//
//	var unknown *alidomain.OutcomeUnknownError
//	if errors.As(err, &unknown) {
//		// A few minutes before SentAt covers clock skew with the service.
//		found, err := client.Redeem.Reconcile(ctx, unknown.SentAt.Add(-5*time.Minute), names)
//		if err != nil {
//			return err
//		}
//		for name, d := range found {
//			if d == nil {
//				// no order was placed: safe to submit name again
//			}
//		}
//	}
//
// A nil detail means no order was placed since `since`; a detail that is
// waiting or executing means the order was placed and should be followed
// with TaskService.Wait (d.TaskNo); one that failed may be submitted again.
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
		wanted[strings.ToLower(name)] = true
	}

	// Gather the redemption tasks first, so that the task list is read in
	// one pass. A task whose type the service left out cannot be ruled out.
	var taskNos []string
	seen := map[string]bool{}
	for t, err := range s.client.Tasks.ListIter(ctx, &ListTasksRequest{BeginCreateTime: since, PageSize: reconcileTaskPageSize}, optFns...) {
		if err != nil {
			return nil, err
		}
		if !match(t.TaskType) || seen[t.TaskNo] {
			continue
		}
		seen[t.TaskNo] = true
		taskNos = append(taskNos, t.TaskNo)
	}

	best := make(map[string]*TaskDetail, len(wanted))
	for _, no := range taskNos {
		for d, err := range s.client.Tasks.ListDetailsIter(ctx, &ListTaskDetailsRequest{TaskNo: no, PageSize: maxDetailPageSize}, optFns...) {
			if err != nil {
				return nil, err
			}
			key := strings.ToLower(strings.TrimSpace(d.DomainName))
			if !wanted[key] || !match(d.TaskType) {
				continue
			}
			if cur := best[key]; cur == nil || newerDetail(&d, cur) {
				best[key] = &d
			}
		}
	}

	out := make(map[string]*TaskDetail, len(domains))
	for _, name := range domains {
		out[name] = best[strings.ToLower(name)]
	}
	return out, nil
}

// isRedeemType reports whether a task type is a redemption, or unknown.
func isRedeemType(t string) bool {
	return t == "" || strings.EqualFold(t, redeemTaskType)
}

// newerDetail reports whether a was created after b (then, updated after).
func newerDetail(a, b *TaskDetail) bool {
	if !a.CreateTime.Equal(b.CreateTime) {
		return a.CreateTime.After(b.CreateTime)
	}
	return a.UpdateTime.After(b.UpdateTime)
}
