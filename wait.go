package alidomain

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/alidomain/alidomain/internal/retry"
)

// TaskCounts counts a task's details by state.
type TaskCounts struct {
	// Waiting, Executing, Succeeded and Failed count the details in each
	// state.
	Waiting, Executing, Succeeded, Failed int
	// Total is the number of details, including any in a state this
	// package does not know.
	Total int
}

// String returns a summary such as "3 details: 1 waiting, 0 executing, 1
// succeeded, 1 failed".
func (c TaskCounts) String() string {
	return fmt.Sprintf("%d details: %d waiting, %d executing, %d succeeded, %d failed",
		c.Total, c.Waiting, c.Executing, c.Succeeded, c.Failed)
}

// done reports whether the task has details and all of them are final.
func (c TaskCounts) done() bool {
	return c.Total > 0 && c.Succeeded+c.Failed == c.Total
}

// countDetails counts details by state.
func countDetails(details []TaskDetail) TaskCounts {
	c := TaskCounts{Total: len(details)}
	for i := range details {
		switch details[i].Status {
		case TaskWaiting:
			c.Waiting++
		case TaskExecuting:
			c.Executing++
		case TaskSucceeded:
			c.Succeeded++
		case TaskFailed:
			c.Failed++
		}
	}
	return c
}

// Default intervals of Wait.
const (
	defaultPollInterval = 2 * time.Second
	defaultMaxInterval  = 30 * time.Second
)

// WaitOptions tunes TaskService.Wait.
type WaitOptions struct {
	// PollInterval is the first pause between polls (default 2s); the
	// pause then doubles up to MaxInterval (default 30s, and never below
	// PollInterval). Each pause is shortened by up to a fifth at random, so
	// that many waiters do not poll in step.
	PollInterval, MaxInterval time.Duration
	// Progress, if set, is called with the counts after each poll, in the
	// goroutine that called Wait.
	Progress func(TaskCounts)
}

// TaskReport is the state of every detail of a task.
type TaskReport struct {
	// TaskNo is the task.
	TaskNo string
	// Details are the task's details, as the last poll saw them.
	Details []TaskDetail
	// Counts counts Details by state.
	Counts TaskCounts
}

// Failed returns the details that failed, in order.
func (r *TaskReport) Failed() []TaskDetail {
	if r == nil {
		return nil
	}
	var out []TaskDetail
	for _, d := range r.Details {
		if d.Status == TaskFailed {
			out = append(out, d)
		}
	}
	return out
}

// Wait polls the task's details (QueryTaskDetailList, every page, 1000 per
// page) until each one has succeeded or failed, and returns them. A task
// with no detail yet is not done: right after a submission the service may
// not show them yet, so Wait keeps polling; give ctx a deadline, since a
// TaskNo the service does not know also shows no detail. Transient
// failures of a poll are retried as for any read; a failure that remains
// ends the wait with that error.
//
// Between polls Wait pauses as WaitOptions says (nil opts: 2s, doubling up
// to 30s), and calls opts.Progress after each poll. A task whose details
// all ended is a success even if some failed: see TaskReport.Failed. When
// ctx ends first, Wait returns the last report it got (nil if none) and an
// error that wraps ctx.Err(). An empty taskNo is a *ValidationError.
func (s *TaskService) Wait(ctx context.Context, taskNo string, opts *WaitOptions, optFns ...func(*Options)) (*TaskReport, error) {
	if _, err := (*service)(s).ready(ctx); err != nil {
		return nil, err
	}
	if strings.TrimSpace(taskNo) == "" {
		return nil, &ValidationError{Field: "taskNo", Reason: "is empty: give the TaskNo that SubmitBatch or Submit returned"}
	}
	var o WaitOptions
	if opts != nil {
		o = *opts
	}
	if o.PollInterval <= 0 {
		o.PollInterval = defaultPollInterval
	}
	if o.MaxInterval <= 0 {
		o.MaxInterval = defaultMaxInterval
	}
	if o.MaxInterval < o.PollInterval {
		o.MaxInterval = o.PollInterval
	}
	req := &ListTaskDetailsRequest{TaskNo: taskNo, PageSize: maxDetailPageSize}
	var last *TaskReport
	pause := o.PollInterval
	for {
		details, err := collectSeq(s.ListDetailsIter(ctx, req, optFns...))
		if err != nil {
			if ctx.Err() != nil {
				return last, waitEnded(ctx, taskNo, last, err)
			}
			return last, fmt.Errorf("alidomain: waiting for task %s: %w", taskNo, err)
		}
		last = &TaskReport{TaskNo: taskNo, Details: details, Counts: countDetails(details)}
		if o.Progress != nil {
			o.Progress(last.Counts)
		}
		if last.Counts.done() {
			return last, nil
		}
		d := pause - time.Duration(rand.Int64N(int64(pause)/5+1))
		if err := retry.Sleep(ctx, d); err != nil {
			return last, waitEnded(ctx, taskNo, last, err)
		}
		pause = min(pause*2, o.MaxInterval)
	}
}

// waitEnded is Wait's error when ctx ended: it wraps ctx.Err() (and err,
// when err is another error) and says how far the task had got.
func waitEnded(ctx context.Context, taskNo string, last *TaskReport, err error) error {
	seen := "no poll completed"
	if last != nil {
		seen = "last seen: " + last.Counts.String()
	}
	if errors.Is(err, ctx.Err()) {
		return fmt.Errorf("alidomain: waiting for task %s (%s): %w", taskNo, seen, err)
	}
	return fmt.Errorf("alidomain: waiting for task %s (%s): %w: %w", taskNo, seen, ctx.Err(), err)
}
