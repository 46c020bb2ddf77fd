package alidomaintest

import (
	"github.com/alidomain/alidomain/internal/wire"
	"sort"
	"strings"
	"time"
)

// The change log: QueryChangeLogList lists the changes the families of
// family_state.go made to domains (name servers, locks, privacy, remarks,
// groups, resource groups), newest first.

func init() {
	actions["QueryChangeLogList"] = actionDef{handle: (*Server).queryChangeLogList}
}

// ChangeLogResultSuccess is the Result of a change log entry.
const ChangeLogResultSuccess = "SUCCESS"

type changeEntry struct {
	domain, op, details, ip string
	at                      time.Time
}

// logChange records a change of the domain name. s.mu is held.
func (s *Server) logChange(name, op, details, ip string, at time.Time) {
	s.fam.changes = append(s.fam.changes, changeEntry{domain: name, op: op, details: details, ip: ip, at: at})
}

type changeLogItem struct {
	Details            string `json:"Details" xml:"Details"`
	DomainName         string `json:"DomainName" xml:"DomainName"`
	Operation          string `json:"Operation" xml:"Operation"`
	OperationIPAddress string `json:"OperationIPAddress" xml:"OperationIPAddress"`
	Remark             string `json:"Remark" xml:"Remark"`
	Result             string `json:"Result" xml:"Result"`
	Time               string `json:"Time" xml:"Time"`
}

type changeLogResponse struct {
	pageInfo
	ResultLimit bool `json:"ResultLimit" xml:"ResultLimit"`
	Data        struct {
		ChangeLog []changeLogItem `json:"ChangeLog" xml:"ChangeLog"`
	} `json:"Data" xml:"Data"`
}

// queryChangeLogList pages through the change log, newest first, filtered
// by DomainName (exact, in canonical form) and StartDate/EndDate (Unix
// ms, inclusive).
func (s *Server) queryChangeLogList(c *actionCall) (any, *gatewayError) {
	num, size, err := s.pageParams(c.p)
	if err != nil {
		return nil, err
	}
	start, hasStart, err := parseMS(c.p, "StartDate", false)
	if err != nil {
		return nil, err
	}
	end, hasEnd, err := parseMS(c.p, "EndDate", false)
	if err != nil {
		return nil, err
	}
	key := ""
	if v := strings.TrimSpace(c.p["DomainName"]); v != "" {
		key = wire.CanonicalName(v)
	}
	s.mu.Lock()
	s.settle(c.now)
	var list []changeEntry
	for i := len(s.fam.changes) - 1; i >= 0; i-- { // newest first
		e := s.fam.changes[i]
		ms := e.at.UnixMilli()
		if (key != "" && wire.CanonicalName(e.domain) != key) || (hasStart && ms < start) || (hasEnd && ms > end) {
			continue
		}
		list = append(list, e)
	}
	s.mu.Unlock()
	sort.SliceStable(list, func(i, j int) bool { return list[i].at.After(list[j].at) })
	lo, hi, pi := paginate(c.reqID, len(list), num, size)
	resp := changeLogResponse{pageInfo: pi}
	resp.Data.ChangeLog = make([]changeLogItem, 0, hi-lo)
	for _, e := range list[lo:hi] {
		resp.Data.ChangeLog = append(resp.Data.ChangeLog, changeLogItem{
			Details:            e.details,
			DomainName:         e.domain,
			Operation:          e.op,
			OperationIPAddress: e.ip,
			Result:             ChangeLogResultSuccess,
			Time:               formatCST(e.at),
		})
	}
	return resp, nil
}
