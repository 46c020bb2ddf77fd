package alidomain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/alidomain/alidomain/internal/wire"
)

// TaskService reads the tasks that orders create (QueryTaskList,
// QueryTaskDetailList) and waits for them to finish.
type TaskService service

// TaskStatus is the state of a task detail (one domain of a task), or of a
// whole task. It is sent on the wire as its number.
type TaskStatus int

const (
	// TaskWaiting has not started yet.
	TaskWaiting TaskStatus = 0
	// TaskExecuting is being carried out.
	TaskExecuting TaskStatus = 1
	// TaskSucceeded is done and succeeded. For a whole task (TaskInfo) it
	// means complete: every detail is final, some may have failed.
	TaskSucceeded TaskStatus = 2
	// TaskFailed is done and failed; TaskDetail.ErrorMsg and FailReason
	// say why.
	TaskFailed TaskStatus = 3
)

// String returns "waiting", "executing", "succeeded", "failed", or
// TaskStatus(n) for another value.
func (s TaskStatus) String() string {
	switch s {
	case TaskWaiting:
		return "waiting"
	case TaskExecuting:
		return "executing"
	case TaskSucceeded:
		return "succeeded"
	case TaskFailed:
		return "failed"
	}
	return "TaskStatus(" + strconv.Itoa(int(s)) + ")"
}

// maxDetailPageSize is the largest PageSize QueryTaskDetailList accepts.
const maxDetailPageSize = 1000

// ListTaskDetailsRequest is the input of TaskService.ListDetails
// (QueryTaskDetailList). Zero fields other than TaskNo are not sent.
type ListTaskDetailsRequest struct {
	// TaskNo is the task, as SubmitResult.TaskNo; required.
	TaskNo string
	// DomainName keeps the details of this domain.
	DomainName string
	// InstanceID keeps the details of this domain instance (sent as
	// InstanceId).
	InstanceID string
	// Status keeps the details in this state (sent as TaskStatus, a
	// number); nil keeps all.
	Status *TaskStatus
	// PageNum (from 1) and PageSize (up to 1000) select a page; a zero
	// PageNum is the first page, a zero PageSize sends 20. ListDetailsIter
	// starts at PageNum and advances it itself.
	PageNum  int
	PageSize int
}

// wire returns the request as sent: the generated QueryTaskDetailListRequest.
func (r *ListTaskDetailsRequest) wire() *QueryTaskDetailListRequest {
	if r == nil {
		return nil
	}
	return &QueryTaskDetailListRequest{TaskNo: r.TaskNo, DomainName: r.DomainName, InstanceID: r.InstanceID,
		TaskStatus: r.Status, PageNum: r.PageNum, PageSize: r.PageSize}
}

// validate checks r without sending anything.
func (r *ListTaskDetailsRequest) validate() error {
	switch {
	case r == nil:
		return &ValidationError{Field: "ListTaskDetailsRequest", Reason: "is nil"}
	case strings.TrimSpace(r.TaskNo) == "":
		return &ValidationError{Field: "TaskNo", Reason: "is empty: give the TaskNo that SubmitBatch or Submit returned"}
	case r.Status != nil && (*r.Status < TaskWaiting || *r.Status > TaskFailed):
		return &ValidationError{Field: "Status", Reason: fmt.Sprintf("is %d; it must be 0 (waiting) to 3 (failed)", int(*r.Status))}
	}
	return checkPaging(r.PageNum, r.PageSize, maxDetailPageSize, "", time.Time{}, "", time.Time{})
}

// TaskDetail is the state of one domain of a task, as QueryTaskDetailList
// reports it.
type TaskDetail struct {
	// TaskNo is the task the detail belongs to.
	TaskNo string
	// TaskDetailNo identifies the detail.
	TaskDetailNo string
	// DomainName is the domain the detail acts on.
	DomainName string
	// InstanceID is the domain's instance ID.
	InstanceID string
	// TaskType is the kind of task, such as ORDER_REDEEM.
	TaskType string
	// TaskTypeDescription describes TaskType in the request's language.
	TaskTypeDescription string
	// TaskResult is the service's result text, if any.
	TaskResult string
	// ErrorMsg is the service's message about the outcome.
	ErrorMsg string
	// FailReason says why the detail failed.
	FailReason string
	// Status is the detail's state (from TaskStatusCode, or from the
	// TaskStatus text when the code is absent).
	Status TaskStatus
	// TryCount is how many times the service has tried the detail.
	TryCount int
	// CreateTime and UpdateTime are when the detail was created and last
	// changed, in UTC, to the second.
	CreateTime, UpdateTime time.Time
}

// TaskDetailPage is one page of QueryTaskDetailList.
type TaskDetailPage struct {
	Meta
	Page
	// Items are the page's details.
	Items []TaskDetail
}

// wireTaskDetail is one detail on the wire.
type wireTaskDetail struct {
	TaskNo              wire.FlexString  `json:"TaskNo" xml:"TaskNo"`
	TaskDetailNo        wire.FlexString  `json:"TaskDetailNo" xml:"TaskDetailNo"`
	TaskType            wire.FlexString  `json:"TaskType" xml:"TaskType"`
	TaskTypeDescription wire.FlexString  `json:"TaskTypeDescription" xml:"TaskTypeDescription"`
	InstanceID          wire.FlexString  `json:"InstanceId" xml:"InstanceId"`
	DomainName          wire.FlexString  `json:"DomainName" xml:"DomainName"`
	TaskStatus          wire.FlexString  `json:"TaskStatus" xml:"TaskStatus"`
	TaskStatusCode      wire.OptionalInt `json:"TaskStatusCode" xml:"TaskStatusCode"`
	TryCount            wire.FlexInt     `json:"TryCount" xml:"TryCount"`
	ErrorMsg            wire.FlexString  `json:"ErrorMsg" xml:"ErrorMsg"`
	FailReason          wire.FlexString  `json:"FailReason" xml:"FailReason"`
	TaskResult          wire.FlexString  `json:"TaskResult" xml:"TaskResult"`
	CreateTime          wire.ServiceTime `json:"CreateTime" xml:"CreateTime"`
	UpdateTime          wire.ServiceTime `json:"UpdateTime" xml:"UpdateTime"`
}

// detailStatusNames maps QueryTaskDetailList's TaskStatus texts.
var detailStatusNames = map[string]TaskStatus{
	"WAITING_EXECUTE": TaskWaiting,
	"EXECUTING":       TaskExecuting,
	"EXECUTE_SUCCESS": TaskSucceeded,
	"EXECUTE_FAILURE": TaskFailed,
}

func (wireTaskDetail) listKey() string { return "TaskDetail" }

// item converts the detail, and refuses one without a DomainName: which
// domain it is about is the one thing a caller cannot do without.
func (w wireTaskDetail) item() (TaskDetail, error) {
	if strings.TrimSpace(string(w.DomainName)) == "" {
		return TaskDetail{}, fmt.Errorf("task detail %q has no DomainName", string(w.TaskDetailNo))
	}
	return w.detail(), nil
}

func (w *wireTaskDetail) detail() TaskDetail {
	st := TaskWaiting
	if w.TaskStatusCode.OK {
		st = TaskStatus(w.TaskStatusCode.V)
	} else if s, ok := detailStatusNames[strings.ToUpper(strings.TrimSpace(string(w.TaskStatus)))]; ok {
		st = s
	}
	return TaskDetail{
		TaskNo:              string(w.TaskNo),
		TaskDetailNo:        string(w.TaskDetailNo),
		DomainName:          string(w.DomainName),
		InstanceID:          string(w.InstanceID),
		TaskType:            string(w.TaskType),
		TaskTypeDescription: string(w.TaskTypeDescription),
		TaskResult:          string(w.TaskResult),
		ErrorMsg:            string(w.ErrorMsg),
		FailReason:          string(w.FailReason),
		Status:              st,
		TryCount:            int(w.TryCount),
		CreateTime:          time.Time(w.CreateTime),
		UpdateTime:          time.Time(w.UpdateTime),
	}
}

// opQueryTaskDetailList sends the generated request; ListDetails and
// ListDetailsIter check the friendly one first.
var opQueryTaskDetailList = &operation[QueryTaskDetailListRequest, listResponse[wireTaskDetail, TaskDetail], listPage[TaskDetail]]{
	action:     "QueryTaskDetailList",
	idempotent: true,
	paging:     func(r *QueryTaskDetailListRequest) (*int, *int) { return &r.PageNum, &r.PageSize },
	check:      (*listResponse[wireTaskDetail, TaskDetail]).convert,
	result:     listResult[wireTaskDetail, TaskDetail],
}

// ListDetails returns one page of a task's details (QueryTaskDetailList):
// the state of each domain of the task. The request is validated first
// (TaskNo required, PageSize up to 1000, Status 0 to 3); a *ValidationError
// means nothing was sent. Use ListDetailsIter for every page, or Wait to
// wait for the task to finish.
func (s *TaskService) ListDetails(ctx context.Context, req *ListTaskDetailsRequest, optFns ...func(*Options)) (*TaskDetailPage, error) {
	if _, err := (*service)(s).ready(ctx); err != nil {
		return nil, err
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	p, err := opQueryTaskDetailList.call(ctx, (*service)(s), req.wire(), optFns)
	return (*TaskDetailPage)(p), err
}

// ListDetailsIter returns an iterator over every detail that req selects,
// page after page, starting at req.PageNum (or 1), req.PageSize details a
// page (20 when zero; up to 1000). It sends nothing until
// the loop starts and no further request once the loop breaks; req is
// copied when ListDetailsIter is called and never modified. On a failure,
// a *ValidationError included, the iterator yields the error once and stops.
func (s *TaskService) ListDetailsIter(ctx context.Context, req *ListTaskDetailsRequest, optFns ...func(*Options)) iter.Seq2[TaskDetail, error] {
	if err := req.validate(); err != nil {
		return failedSeq[TaskDetail](err)
	}
	return listIter(ctx, (*service)(s), opQueryTaskDetailList, req.wire(), optFns)
}

// ListTasksRequest is the input of TaskService.List (QueryTaskList). Zero
// fields are not sent.
type ListTasksRequest struct {
	// BeginCreateTime and EndCreateTime bound the tasks' creation time;
	// they are sent as Unix milliseconds, and a zero time is not sent. The
	// service may apply them to whole days only.
	BeginCreateTime time.Time
	EndCreateTime   time.Time
	// PageNum (from 1) and PageSize select a page; a zero PageNum is the
	// first page, a zero PageSize sends 20 (the service documents no
	// maximum). ListIter starts at PageNum and advances it itself.
	PageNum  int
	PageSize int
}

// wire returns the request as sent: the generated QueryTaskListRequest.
func (r *ListTasksRequest) wire() *QueryTaskListRequest {
	if r == nil {
		return nil
	}
	return &QueryTaskListRequest{BeginCreateTime: r.BeginCreateTime, EndCreateTime: r.EndCreateTime, PageNum: r.PageNum, PageSize: r.PageSize}
}

// validate checks r (nil: every task) without sending anything.
func (r *ListTasksRequest) validate() error {
	if r == nil {
		return nil
	}
	return checkPaging(r.PageNum, r.PageSize, 0, "BeginCreateTime", r.BeginCreateTime, "EndCreateTime", r.EndCreateTime)
}

// TaskInfo is one task of the account, as QueryTaskList reports it.
type TaskInfo struct {
	// TaskNo identifies the task.
	TaskNo string
	// TaskType is the kind of task, such as ORDER_REDEEM.
	TaskType string
	// TaskTypeDescription describes TaskType in the request's language.
	TaskTypeDescription string
	// Status is the task's state: waiting, executing, or (TaskSucceeded)
	// complete, whatever its details' outcomes. It is read from the
	// TaskStatus text (WAITING_EXECUTE, EXECUTING, COMPLETE), whose meaning
	// is documented unambiguously, else from TaskStatusCode.
	Status TaskStatus
	// TaskNum is the number of domains (details) in the task.
	TaskNum int
	// CreateTime is when the task was created, in UTC, to the second.
	CreateTime time.Time
}

// TaskPage is one page of QueryTaskList.
type TaskPage struct {
	Meta
	Page
	// Items are the page's tasks.
	Items []TaskInfo
}

// wireTaskInfo is one task on the wire.
type wireTaskInfo struct {
	TaskNo              wire.FlexString  `json:"TaskNo" xml:"TaskNo"`
	TaskType            wire.FlexString  `json:"TaskType" xml:"TaskType"`
	TaskTypeDescription wire.FlexString  `json:"TaskTypeDescription" xml:"TaskTypeDescription"`
	TaskStatus          wire.FlexString  `json:"TaskStatus" xml:"TaskStatus"`
	TaskStatusCode      wire.FlexInt     `json:"TaskStatusCode" xml:"TaskStatusCode"`
	TaskNum             wire.FlexInt     `json:"TaskNum" xml:"TaskNum"`
	CreateTime          wire.ServiceTime `json:"CreateTime" xml:"CreateTime"`
	TaskCancelStatus    wire.FlexString  `json:"TaskCancelStatus" xml:"TaskCancelStatus"`
	ClientIP            wire.FlexString  `json:"Clientip" xml:"Clientip"`
}

// taskStatusNames maps QueryTaskList's TaskStatus texts.
var taskStatusNames = map[string]TaskStatus{
	"WAITING_EXECUTE": TaskWaiting,
	"EXECUTING":       TaskExecuting,
	"COMPLETE":        TaskSucceeded,
}

func (wireTaskInfo) listKey() string { return "TaskInfo" }

// item converts the task, and refuses one without a TaskNo: nothing can be
// done with it.
func (w wireTaskInfo) item() (TaskInfo, error) {
	if strings.TrimSpace(string(w.TaskNo)) == "" {
		return TaskInfo{}, errors.New("the task has no TaskNo")
	}
	return w.info(), nil
}

func (w *wireTaskInfo) info() TaskInfo {
	st, ok := taskStatusNames[strings.ToUpper(strings.TrimSpace(string(w.TaskStatus)))]
	if !ok {
		st = TaskStatus(w.TaskStatusCode)
	}
	return TaskInfo{
		TaskNo:              string(w.TaskNo),
		TaskType:            string(w.TaskType),
		TaskTypeDescription: string(w.TaskTypeDescription),
		Status:              st,
		TaskNum:             int(w.TaskNum),
		CreateTime:          time.Time(w.CreateTime),
	}
}

// opQueryTaskList sends the generated request; List and ListIter check the
// friendly one first.
var opQueryTaskList = &operation[QueryTaskListRequest, listResponse[wireTaskInfo, TaskInfo], listPage[TaskInfo]]{
	action:     "QueryTaskList",
	idempotent: true,
	paging:     func(r *QueryTaskListRequest) (*int, *int) { return &r.PageNum, &r.PageSize },
	check:      (*listResponse[wireTaskInfo, TaskInfo]).convert,
	result:     listResult[wireTaskInfo, TaskInfo],
}

// List returns one page of the account's tasks (QueryTaskList), newest
// first as the service orders them. A nil req lists every task, first page,
// default page size. Use ListIter to go through every page.
func (s *TaskService) List(ctx context.Context, req *ListTasksRequest, optFns ...func(*Options)) (*TaskPage, error) {
	if _, err := (*service)(s).ready(ctx); err != nil {
		return nil, err
	}
	if err := req.validate(); err != nil {
		return nil, err
	}
	p, err := opQueryTaskList.call(ctx, (*service)(s), req.wire(), optFns)
	return (*TaskPage)(p), err
}

// ListIter returns an iterator over every task that req selects, page
// after page, starting at req.PageNum (or 1), req.PageSize tasks a page (20
// when zero). It sends nothing until the
// loop starts and no further request once the loop breaks; req is copied
// when ListIter is called and never modified. On a failure the iterator
// yields the error once and stops.
func (s *TaskService) ListIter(ctx context.Context, req *ListTasksRequest, optFns ...func(*Options)) iter.Seq2[TaskInfo, error] {
	if err := req.validate(); err != nil {
		return failedSeq[TaskInfo](err)
	}
	return listIter(ctx, (*service)(s), opQueryTaskList, req.wire(), optFns)
}

// taskDetailFields has TaskDetail's fields and no methods.
type taskDetailFields TaskDetail

// redacted returns the detail with TaskResult, which can carry a domain's
// transfer authorization code, redacted.
func (d TaskDetail) redacted() taskDetailFields {
	d.TaskResult = redactedOrEmpty(d.TaskResult)
	return taskDetailFields(d)
}

// String returns the detail as %+v shows it. TaskResult is redacted: it
// can carry a domain's transfer authorization code (read the field itself).
func (d TaskDetail) String() string { return fmt.Sprintf("%+v", d.redacted()) }

// GoString returns the detail as %#v shows it, TaskResult redacted.
func (d TaskDetail) GoString() string { return fmt.Sprintf("%#v", d) }

// Format prints the detail for every verb with TaskResult redacted.
func (d TaskDetail) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, "alidomain.TaskDetail", d.redacted())
}

// LogValue logs the detail with TaskResult redacted.
func (d TaskDetail) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("task_no", d.TaskNo),
		slog.String("task_detail_no", d.TaskDetailNo),
		slog.String("domain_name", d.DomainName),
		slog.String("instance_id", d.InstanceID),
		slog.String("task_type", d.TaskType),
		slog.String("status", d.Status.String()),
		slog.Int("try_count", d.TryCount),
		slog.String("error_msg", d.ErrorMsg),
		slog.String("fail_reason", d.FailReason),
		slog.String("task_result", redactedOrEmpty(d.TaskResult)),
		slog.Time("create_time", d.CreateTime),
		slog.Time("update_time", d.UpdateTime),
	)
}

// MarshalJSON encodes the detail with TaskResult redacted, so that a JSON
// log of a report does not carry an authorization code.
func (d TaskDetail) MarshalJSON() ([]byte, error) { return json.Marshal(d.redacted()) }
