package alidomaintest

import (
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/alidomain/alidomain/internal/wire"
)

type params = map[string]string

// actionCall is what a handler gets: the request's merged parameters, its
// RequestId, the HTTP request and the Server's clock at its start.
type actionCall struct {
	action string
	p      params
	reqID  string
	r      *http.Request
	now    time.Time
}

// actionDef declares one action of the Server.
type actionDef struct {
	// handle performs the action and returns the answer's body or an error.
	handle func(s *Server, c *actionCall) (any, *gatewayError)
	// order is the kind of paid order the action creates, "" for none.
	order OrderKind
	// ownChecks names the parameters the handler checks itself, which the
	// catalog's gateway checks leave alone (an answer the service gives in
	// an HTTP 200, say).
	ownChecks []string
}

// actions is the table of the actions with state-aware handlers; every
// other action of the catalog is served by the generic handler (see
// handlerFor), and an action the catalog lacks is InvalidAction.NotFound. A
// family of actions adds its entries from its own file's init (see the
// package documentation).
var actions = map[string]actionDef{
	ActionSaveBatchTaskForCreatingOrderRedeem:    {handle: batchOrder(KindRedeem), order: KindRedeem},
	ActionSaveSingleTaskForCreatingOrderRedeem:   {handle: singleOrder(KindRedeem), order: KindRedeem},
	ActionSaveBatchTaskForCreatingOrderRenew:     {handle: batchOrder(KindRenew), order: KindRenew},
	ActionSaveSingleTaskForCreatingOrderRenew:    {handle: singleOrder(KindRenew), order: KindRenew},
	ActionSaveBatchTaskForCreatingOrderTransfer:  {handle: batchOrder(KindTransfer), order: KindTransfer},
	ActionSaveSingleTaskForCreatingOrderTransfer: {handle: singleOrder(KindTransfer), order: KindTransfer},
	ActionSaveBatchTaskForCreatingOrderActivate:  {handle: batchOrder(KindRegister), order: KindRegister},
	ActionSaveSingleTaskForCreatingOrderActivate: {handle: singleOrder(KindRegister), order: KindRegister},
	ActionQueryDomainList:                        {handle: (*Server).queryDomainList},
	ActionQueryTaskList:                          {handle: (*Server).queryTaskList},
	ActionQueryTaskDetailList:                    {handle: (*Server).queryTaskDetailList},
	ActionQueryDomainByDomainName:                {handle: (*Server).queryDomainByDomainName},
	ActionCheckDomain:                            {handle: (*Server).checkDomain},
	ActionQueryDomainRealTimePrice:               {handle: (*Server).queryDomainRealTimePrice, ownChecks: []string{"DomainItem"}},
	ActionSetupDomainAutoRenew:                   {handle: (*Server).setupDomainAutoRenew},
}

// OrderKind names a family of paid orders (see Server.OrdersOf).
type OrderKind string

// perform runs action (already known to the gateway).
func (s *Server) perform(action string, p params, reqID string, r *http.Request) result {
	def := handlerFor(action)
	if err := checkParams(catalogAction(action), p, def.ownChecks); err != nil {
		return err.result(reqID)
	}
	body, err := def.handle(s, &actionCall{action: action, p: p, reqID: reqID, r: r, now: s.now()})
	if err != nil {
		return err.result(reqID)
	}
	s.mu.Lock()
	s.performed[action]++
	s.mu.Unlock()
	return result{status: http.StatusOK, body: body}
}

// ---- redeem ----

type submitResponse struct {
	RequestID string `json:"RequestId" xml:"RequestId"`
	TaskNo    string `json:"TaskNo" xml:"TaskNo"`
}

func clientIP(p params, r *http.Request) string {
	if ip := p["UserClientIp"]; ip != "" {
		return ip
	}
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

func parseMS(p params, name string, required bool) (int64, bool, *gatewayError) {
	v, ok := p[name]
	if !ok || v == "" {
		if required {
			return 0, false, errMissing(name)
		}
		return 0, false, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, false, errInvalid(name)
	}
	return n, true, nil
}

// ---- paging ----

type pageInfo struct {
	RequestID      string `json:"RequestId" xml:"RequestId"`
	TotalItemNum   int    `json:"TotalItemNum" xml:"TotalItemNum"`
	CurrentPageNum int    `json:"CurrentPageNum" xml:"CurrentPageNum"`
	TotalPageNum   int    `json:"TotalPageNum" xml:"TotalPageNum"`
	PageSize       int    `json:"PageSize" xml:"PageSize"`
	PrePage        bool   `json:"PrePage" xml:"PrePage"`
	NextPage       bool   `json:"NextPage" xml:"NextPage"`
}

// pageParams reads PageNum (default 1) and PageSize (default 20, at most the
// limit).
func (s *Server) pageParams(p params) (num, size int, err *gatewayError) {
	num, size = 1, 20
	if v := p["PageNum"]; v != "" {
		n, e := strconv.Atoi(v)
		if e != nil || n < 1 {
			return 0, 0, errInvalid("PageNum")
		}
		num = n
	}
	if v := p["PageSize"]; v != "" {
		n, e := strconv.Atoi(v)
		if e != nil || n < 1 || n > s.cfg.pageSizeLimit {
			return 0, 0, errInvalid("PageSize")
		}
		size = n
	}
	return num, size, nil
}

// paginate returns the bounds of page num in total items, and the paging
// fields.
func paginate(reqID string, total, num, size int) (lo, hi int, pi pageInfo) {
	pages := (total + size - 1) / size
	lo = total
	if num-1 < pages { // also avoids overflowing (num-1)*size
		lo = (num - 1) * size
	}
	hi = min(lo+size, total)
	return lo, hi, pageInfo{
		RequestID:      reqID,
		TotalItemNum:   total,
		CurrentPageNum: num,
		TotalPageNum:   pages,
		PageSize:       size,
		PrePage:        num > 1,
		NextPage:       num < pages,
	}
}

// ---- QueryDomainList ----

type domainItem struct {
	DomainName             string `json:"DomainName" xml:"DomainName"`
	InstanceID             string `json:"InstanceId" xml:"InstanceId"`
	ExpirationDate         string `json:"ExpirationDate" xml:"ExpirationDate"`
	ExpirationDateLong     int64  `json:"ExpirationDateLong" xml:"ExpirationDateLong"`
	RegistrationDate       string `json:"RegistrationDate" xml:"RegistrationDate"`
	RegistrationDateLong   int64  `json:"RegistrationDateLong" xml:"RegistrationDateLong"`
	DomainType             string `json:"DomainType" xml:"DomainType"`
	DomainStatus           string `json:"DomainStatus" xml:"DomainStatus"`
	ProductID              string `json:"ProductId" xml:"ProductId"`
	Premium                bool   `json:"Premium" xml:"Premium"`
	ExpirationCurrDateDiff int    `json:"ExpirationCurrDateDiff" xml:"ExpirationCurrDateDiff"`
	Remark                 string `json:"Remark" xml:"Remark"`
	DomainGroupID          string `json:"DomainGroupId" xml:"DomainGroupId"`
	DomainGroupName        string `json:"DomainGroupName" xml:"DomainGroupName"`
	DomainAuditStatus      string `json:"DomainAuditStatus" xml:"DomainAuditStatus"`
	ExpirationDateStatus   string `json:"ExpirationDateStatus" xml:"ExpirationDateStatus"`
	RegistrantType         string `json:"RegistrantType" xml:"RegistrantType"`
	AutoRenewEnabled       bool   `json:"AutoRenewEnabled" xml:"AutoRenewEnabled"`
	DNSList                struct {
		DNSList []string `json:"DnsList" xml:"DnsList"`
	} `json:"DnsList" xml:"DnsList"` // name servers (family_dns.go)
	ResourceGroupID string `json:"ResourceGroupId" xml:"ResourceGroupId"` // family_groups.go
}

type domainListResponse struct {
	pageInfo
	Data struct {
		Domain []domainItem `json:"Domain" xml:"Domain"`
	} `json:"Data" xml:"Data"`
}

// domainType is a rough classification: two-letter TLDs are ccTLD, the rest
// gTLD.
func domainType(name string) string {
	tld := name[strings.LastIndexByte(name, '.')+1:]
	if len(tld) == 2 {
		return "ccTLD"
	}
	return "gTLD"
}

// daysBetween returns the number of calendar days (in China Standard Time)
// from now to t, negative when t is in the past.
func daysBetween(now, t time.Time) int {
	a, b := now.In(cst), t.In(cst)
	da := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
	db := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC)
	return int(db.Sub(da).Hours() / 24)
}

func (s *Server) queryDomainList(c *actionCall) (any, *gatewayError) {
	p, reqID, now := c.p, c.reqID, c.now
	num, size, err := s.pageParams(p)
	if err != nil {
		return nil, err
	}
	wantStatus := 0
	switch p["QueryType"] {
	case "":
	case "1":
		wantStatus = StatusNeedsRenewal
	case "2":
		wantStatus = StatusNeedsRedemption
	default:
		return nil, errInvalid("QueryType")
	}
	var bounds [4]int64
	var has [4]bool
	for i, name := range []string{"StartExpirationDate", "EndExpirationDate", "StartRegistrationDate", "EndRegistrationDate"} {
		v, ok, err := parseMS(p, name, false)
		if err != nil {
			return nil, err
		}
		bounds[i], has[i] = v, ok
	}
	orderKey := strings.ToLower(p["OrderKeyType"])
	switch orderKey {
	case "", "expirationdate", "registrationdate":
	default:
		return nil, errInvalid("OrderKeyType")
	}
	desc := orderKey != ""
	switch strings.ToUpper(p["OrderByType"]) {
	case "":
	case "ASC":
		desc = false
	case "DESC":
		desc = true
	default:
		return nil, errInvalid("OrderByType")
	}
	nameMatches := nameMatcher(p["DomainName"])
	productType := p["ProductDomainType"]
	groupID := p["DomainGroupId"]
	autoRenew, hasAutoRenew := false, p["AutoRenewEnabled"] != ""
	if hasAutoRenew {
		b, ok := wireBool(p["AutoRenewEnabled"])
		if !ok {
			return nil, errInvalid("AutoRenewEnabled")
		}
		autoRenew = b
	}

	s.mu.Lock()
	s.settle(now)
	var list []domain
	for _, d := range s.domains {
		exp, reg := d.expires.UnixMilli(), d.registered.UnixMilli()
		switch {
		case wantStatus != 0 && d.status != wantStatus,
			!nameMatches(d.key),
			has[0] && exp < bounds[0], has[1] && exp > bounds[1],
			has[2] && reg < bounds[2], has[3] && reg > bounds[3],
			productType != "" && !strings.EqualFold(productType, domainType(d.name)),
			groupID != "" && groupID != d.groupID,
			hasAutoRenew && d.autoRenew != autoRenew,
			p["ResourceGroupId"] != "" && p["ResourceGroupId"] != d.fam.resourceGroupID(),
			p["Dns"] != "" && !d.fam.usesNameServer(p["Dns"]):
			continue
		}
		list = append(list, *d)
	}
	s.mu.Unlock()

	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		var c int
		switch orderKey {
		case "expirationdate":
			c = a.expires.Compare(b.expires)
		case "registrationdate":
			c = a.registered.Compare(b.registered)
		default:
			c = strings.Compare(a.key, b.key) // the canonical name, lower case already
		}
		if c == 0 {
			return a.key < b.key
		}
		if desc {
			return c > 0
		}
		return c < 0
	})

	lo, hi, pi := paginate(reqID, len(list), num, size)
	resp := domainListResponse{pageInfo: pi}
	resp.Data.Domain = make([]domainItem, 0, hi-lo)
	for _, d := range list[lo:hi] {
		expStatus := "1"
		if !d.expires.After(now) {
			expStatus = "2"
		}
		item := domainItem{
			DomainName:             d.name,
			InstanceID:             d.instanceID,
			ExpirationDate:         formatCST(d.expires),
			ExpirationDateLong:     d.expires.UnixMilli(),
			RegistrationDate:       formatCST(d.registered),
			RegistrationDateLong:   d.registered.UnixMilli(),
			DomainType:             domainType(d.name),
			DomainStatus:           strconv.Itoa(d.status),
			ProductID:              "2",
			Premium:                d.premium,
			ExpirationCurrDateDiff: daysBetween(now, d.expires),
			Remark:                 d.remark,
			DomainGroupID:          d.groupID,
			DomainGroupName:        d.groupName,
			DomainAuditStatus:      "SUCCEED",
			ExpirationDateStatus:   expStatus,
			RegistrantType:         "1",
			AutoRenewEnabled:       d.autoRenew,
			ResourceGroupID:        d.fam.resourceGroupID(),
		}
		item.DNSList.DNSList = d.fam.nameServers()
		resp.Data.Domain = append(resp.Data.Domain, item)
	}
	return resp, nil
}

// ---- tasks ----

var (
	taskStatusNames   = []string{"WAITING_EXECUTE", "EXECUTING", "COMPLETE"}
	detailStatusNames = []string{"WAITING_EXECUTE", "EXECUTING", "EXECUTE_SUCCESS", "EXECUTE_FAILURE"}
)

type taskInfoItem struct {
	TaskNo               string `json:"TaskNo" xml:"TaskNo"`
	TaskType             string `json:"TaskType" xml:"TaskType"`
	TaskTypeDescription  string `json:"TaskTypeDescription" xml:"TaskTypeDescription"`
	TaskStatus           string `json:"TaskStatus" xml:"TaskStatus"`
	TaskStatusCode       int    `json:"TaskStatusCode" xml:"TaskStatusCode"`
	TaskNum              int    `json:"TaskNum" xml:"TaskNum"`
	CreateTime           string `json:"CreateTime" xml:"CreateTime"`
	TaskCancelStatus     string `json:"TaskCancelStatus" xml:"TaskCancelStatus"`
	TaskCancelStatusCode int    `json:"TaskCancelStatusCode" xml:"TaskCancelStatusCode"`
	ClientIP             string `json:"Clientip" xml:"Clientip"`
}

type taskListResponse struct {
	pageInfo
	Data struct {
		TaskInfo []taskInfoItem `json:"TaskInfo" xml:"TaskInfo"`
	} `json:"Data" xml:"Data"`
}

// taskStatus is 0 while every detail waits, 2 once every detail is final,
// 1 otherwise.
func (t *task) status(now time.Time) int {
	waiting, final := 0, 0
	for _, d := range t.details {
		switch d.status(now) {
		case 0:
			waiting++
		case 2, 3:
			final++
		}
	}
	switch {
	case final == len(t.details):
		return 2
	case waiting == len(t.details):
		return 0
	}
	return 1
}

func (s *Server) queryTaskList(c *actionCall) (any, *gatewayError) {
	p, reqID, now := c.p, c.reqID, c.now
	num, size, err := s.pageParams(p)
	if err != nil {
		return nil, err
	}
	begin, hasBegin, err := parseMS(p, "BeginCreateTime", false)
	if err != nil {
		return nil, err
	}
	end, hasEnd, err := parseMS(p, "EndCreateTime", false)
	if err != nil {
		return nil, err
	}
	lang := p["Lang"]

	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(now)
	var list []*task
	for i := len(s.tasks) - 1; i >= 0; i-- { // newest first
		t := s.tasks[i]
		c := t.created.UnixMilli()
		if (hasBegin && c < begin) || (hasEnd && c > end) {
			continue
		}
		list = append(list, t)
	}
	lo, hi, pi := paginate(reqID, len(list), num, size)
	resp := taskListResponse{pageInfo: pi}
	resp.Data.TaskInfo = make([]taskInfoItem, 0, hi-lo)
	for _, t := range list[lo:hi] {
		st := t.status(now)
		cancel, cancelCode := s.cancelStatus(t)
		resp.Data.TaskInfo = append(resp.Data.TaskInfo, taskInfoItem{
			TaskNo:               t.no,
			TaskType:             t.typ,
			TaskTypeDescription:  s.typeDescription(t.typ, lang),
			TaskStatus:           taskStatusNames[st],
			TaskStatusCode:       st,
			TaskNum:              len(t.details),
			CreateTime:           formatCST(t.created),
			TaskCancelStatus:     cancel,
			TaskCancelStatusCode: cancelCode,
			ClientIP:             t.clientIP,
		})
	}
	return resp, nil
}

type taskDetailItem struct {
	TaskNo              string `json:"TaskNo" xml:"TaskNo"`
	TaskDetailNo        string `json:"TaskDetailNo" xml:"TaskDetailNo"`
	TaskType            string `json:"TaskType" xml:"TaskType"`
	TaskTypeDescription string `json:"TaskTypeDescription" xml:"TaskTypeDescription"`
	InstanceID          string `json:"InstanceId" xml:"InstanceId"`
	DomainName          string `json:"DomainName" xml:"DomainName"`
	TaskStatus          string `json:"TaskStatus" xml:"TaskStatus"`
	TaskStatusCode      int    `json:"TaskStatusCode" xml:"TaskStatusCode"`
	TryCount            int    `json:"TryCount" xml:"TryCount"`
	ErrorMsg            string `json:"ErrorMsg" xml:"ErrorMsg"`
	FailReason          string `json:"FailReason" xml:"FailReason"`
	TaskResult          string `json:"TaskResult" xml:"TaskResult"`
	CreateTime          string `json:"CreateTime" xml:"CreateTime"`
	UpdateTime          string `json:"UpdateTime" xml:"UpdateTime"`
}

type taskDetailListResponse struct {
	pageInfo
	Data struct {
		TaskDetail []taskDetailItem `json:"TaskDetail" xml:"TaskDetail"`
	} `json:"Data" xml:"Data"`
}

func (s *Server) queryTaskDetailList(c *actionCall) (any, *gatewayError) {
	p, reqID, now := c.p, c.reqID, c.now
	taskNo := p["TaskNo"]
	if taskNo == "" {
		return nil, errMissing("TaskNo")
	}
	num, size, err := s.pageParams(p)
	if err != nil {
		return nil, err
	}
	wantStatus := -1
	if v := p["TaskStatus"]; v != "" {
		n, e := strconv.Atoi(v)
		if e != nil || n < 0 || n > 3 {
			return nil, errInvalid("TaskStatus")
		}
		wantStatus = n
	}
	nameFilter := ""
	if v := p["DomainName"]; strings.TrimSpace(v) != "" {
		nameFilter = wire.CanonicalName(v)
	}
	instance := p["InstanceId"]
	lang := p["Lang"]

	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(now)
	var list []*detail
	if t := s.taskByNo[taskNo]; t != nil {
		for _, d := range t.details {
			if (wantStatus >= 0 && d.status(now) != wantStatus) ||
				(nameFilter != "" && d.key != nameFilter) ||
				(instance != "" && d.instance != instance) {
				continue
			}
			list = append(list, d)
		}
	}
	lo, hi, pi := paginate(reqID, len(list), num, size)
	resp := taskDetailListResponse{pageInfo: pi}
	resp.Data.TaskDetail = make([]taskDetailItem, 0, hi-lo)
	for _, d := range list[lo:hi] {
		st := d.status(now)
		item := taskDetailItem{
			TaskNo:              d.task.no,
			TaskDetailNo:        d.no,
			TaskType:            d.task.typ,
			TaskTypeDescription: s.typeDescription(d.task.typ, lang),
			InstanceID:          d.instance,
			DomainName:          d.name,
			TaskStatus:          detailStatusNames[st],
			TaskStatusCode:      st,
			CreateTime:          formatCST(d.created),
			UpdateTime:          formatCST(d.updated(now)),
		}
		if st > 0 {
			item.TryCount = 1
		}
		switch st {
		case 2:
			item.ErrorMsg = MsgSuccess
			item.TaskResult = d.result
		case 3:
			item.ErrorMsg, item.FailReason = d.failMsg, d.failMsg
		}
		resp.Data.TaskDetail = append(resp.Data.TaskDetail, item)
	}
	return resp, nil
}
