package alidomaintest

import (
	"github.com/alidomain/alidomain/internal/wire"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ScrollDomainList and QueryAdvancedDomainList search the whole account
// with the same filters.

func init() {
	actions["ScrollDomainList"] = actionDef{handle: (*Server).scrollDomainList}
	actions["QueryAdvancedDomainList"] = actionDef{handle: (*Server).queryAdvancedDomainList}
}

// MaxAdvancedResults is how many domains QueryAdvancedDomainList finds at
// most (the service's documented limit).
const MaxAdvancedResults = 5000

// Form values of the list filters (the Server's reading of the
// undocumented values): the name's first label is made of letters only,
// digits only, or both.
const (
	// FormLetters keeps names whose first label is letters only.
	FormLetters = 1
	// FormDigits keeps names whose first label is digits only.
	FormDigits = 2
	// FormLettersAndDigits keeps names whose first label mixes letters
	// and digits.
	FormLettersAndDigits = 3
)

type kvTag struct {
	Key   string `json:"Key" xml:"Key"`
	Value string `json:"Value" xml:"Value"`
}

type searchItem struct {
	DNSList struct {
		DNS []string `json:"Dns" xml:"Dns"`
	} `json:"DnsList" xml:"DnsList"`
	DomainAuditStatus      string `json:"DomainAuditStatus" xml:"DomainAuditStatus"`
	DomainGroupID          string `json:"DomainGroupId" xml:"DomainGroupId"`
	DomainGroupName        string `json:"DomainGroupName" xml:"DomainGroupName"`
	DomainName             string `json:"DomainName" xml:"DomainName"`
	DomainStatus           string `json:"DomainStatus" xml:"DomainStatus"`
	DomainType             string `json:"DomainType" xml:"DomainType"`
	Email                  string `json:"Email" xml:"Email"`
	ExpirationCurrDateDiff int    `json:"ExpirationCurrDateDiff" xml:"ExpirationCurrDateDiff"`
	ExpirationDate         string `json:"ExpirationDate" xml:"ExpirationDate"`
	ExpirationDateLong     int64  `json:"ExpirationDateLong" xml:"ExpirationDateLong"`
	ExpirationDateStatus   string `json:"ExpirationDateStatus" xml:"ExpirationDateStatus"`
	InstanceID             string `json:"InstanceId" xml:"InstanceId"`
	Premium                bool   `json:"Premium" xml:"Premium"`
	ProductID              string `json:"ProductId" xml:"ProductId"`
	RegistrantOrganization string `json:"RegistrantOrganization" xml:"RegistrantOrganization"`
	RegistrantType         string `json:"RegistrantType" xml:"RegistrantType"`
	RegistrationDate       string `json:"RegistrationDate" xml:"RegistrationDate"`
	RegistrationDateLong   int64  `json:"RegistrationDateLong" xml:"RegistrationDateLong"`
	Remark                 string `json:"Remark" xml:"Remark"`
	ResourceGroupID        string `json:"ResourceGroupId" xml:"ResourceGroupId"`
	Tag                    struct {
		Tag []kvTag `json:"Tag" xml:"Tag"`
	} `json:"Tag" xml:"Tag"`
	ZhRegistrantOrganization string `json:"ZhRegistrantOrganization" xml:"ZhRegistrantOrganization"`
}

func searchItemOf(d *domain, now time.Time) searchItem {
	it := searchItem{
		DomainAuditStatus:      "SUCCEED",
		DomainGroupID:          d.groupID,
		DomainGroupName:        d.groupName,
		DomainName:             d.name,
		DomainStatus:           strconv.Itoa(d.status),
		DomainType:             domainType(d.name),
		Email:                  "registrant@example.com",
		ExpirationCurrDateDiff: daysBetween(now, d.expires),
		ExpirationDate:         formatCST(d.expires),
		ExpirationDateLong:     d.expires.UnixMilli(),
		ExpirationDateStatus:   expirationStatus(d.expires, now),
		InstanceID:             d.instanceID,
		Premium:                d.premium,
		ProductID:              "2",
		RegistrantOrganization: "Test Registrant",
		RegistrantType:         "1",
		RegistrationDate:       formatCST(d.registered),
		RegistrationDateLong:   d.registered.UnixMilli(),
		Remark:                 d.remark,
		ResourceGroupID:        d.fam.resourceGroupID(),
	}
	it.DNSList.DNS = d.fam.nameServers()
	it.Tag.Tag = []kvTag{}
	return it
}

// domainFilter is the filters the two searches share.
type domainFilter func(d *domain) bool

// firstLabel is the part of a canonical name before its first dot, which
// the keyword, length and form filters look at.
func firstLabel(key string) string {
	if i := strings.IndexByte(key, '.'); i >= 0 {
		return key[:i]
	}
	return key
}

// searchFilter reads the shared filters: KeyWord and Excluded (contained
// in the first label, or with KeyWordPrefix/KeyWordSuffix and
// ExcludedPrefix/ExcludedSuffix at its start or end), Suffixs (suffixes
// after the first label, comma-separated), StartLength/EndLength (the first
// label's length), Form, DomainStatus (0 all; 1, 2, 3 the statuses; the
// others, states the Server does not model, match nothing),
// ProductDomainType, DomainGroupId, ResourceGroupId, the expiration and
// registration ranges (Unix ms, inclusive), IsPremiumDomain, Tag.N (the
// Server models no tags: a tag matches nothing). TradeType is accepted and
// not used.
func searchFilter(p params) (domainFilter, *gatewayError) {
	var fs []domainFilter
	bools := map[string]bool{}
	for _, n := range []string{"KeyWordPrefix", "KeyWordSuffix", "ExcludedPrefix", "ExcludedSuffix", "IsPremiumDomain"} {
		if v := p[n]; v != "" {
			b, ok := wireBool(v)
			if !ok {
				return nil, errInvalid(n)
			}
			bools[n] = b
		}
	}
	match := func(label, word string, prefix, suffix bool) bool {
		switch {
		case prefix && suffix:
			return strings.HasPrefix(label, word) && strings.HasSuffix(label, word)
		case prefix:
			return strings.HasPrefix(label, word)
		case suffix:
			return strings.HasSuffix(label, word)
		}
		return strings.Contains(label, word)
	}
	if w := strings.ToLower(strings.TrimSpace(p["KeyWord"])); w != "" {
		pre, suf := bools["KeyWordPrefix"], bools["KeyWordSuffix"]
		fs = append(fs, func(d *domain) bool { return match(firstLabel(d.key), w, pre, suf) })
	}
	if w := strings.ToLower(strings.TrimSpace(p["Excluded"])); w != "" {
		pre, suf := bools["ExcludedPrefix"], bools["ExcludedSuffix"]
		fs = append(fs, func(d *domain) bool { return !match(firstLabel(d.key), w, pre, suf) })
	}
	if v := strings.TrimSpace(p["Suffixs"]); v != "" {
		want := map[string]bool{}
		for _, sfx := range strings.Split(v, ",") {
			if sfx = strings.Trim(strings.ToLower(strings.TrimSpace(sfx)), "."); sfx != "" {
				want[wire.CanonicalName(sfx)] = true
			}
		}
		fs = append(fs, func(d *domain) bool {
			return want[strings.TrimPrefix(d.key, firstLabel(d.key)+".")]
		})
	}
	ints := map[string]int64{}
	for _, n := range []string{"StartLength", "EndLength", "Form", "DomainStatus", "DomainGroupId", "StartExpirationDate", "EndExpirationDate", "StartRegistrationDate", "EndRegistrationDate"} {
		if v := p[n]; v != "" {
			x, ok := wireInt(v)
			if !ok {
				return nil, errInvalid(n)
			}
			ints[n] = x
		}
	}
	if x, ok := ints["StartLength"]; ok {
		fs = append(fs, func(d *domain) bool { return int64(len(firstLabel(d.key))) >= x })
	}
	if x, ok := ints["EndLength"]; ok {
		fs = append(fs, func(d *domain) bool { return int64(len(firstLabel(d.key))) <= x })
	}
	if x, ok := ints["Form"]; ok {
		fs = append(fs, func(d *domain) bool { return formOf(firstLabel(d.key)) == x })
	}
	if x, ok := ints["DomainStatus"]; ok && x != 0 {
		fs = append(fs, func(d *domain) bool { return int64(d.status) == x })
	}
	if x, ok := ints["DomainGroupId"]; ok {
		sid := groupIDString(x)
		fs = append(fs, func(d *domain) bool { return d.groupID == sid })
	}
	if x, ok := ints["StartExpirationDate"]; ok {
		fs = append(fs, func(d *domain) bool { return d.expires.UnixMilli() >= x })
	}
	if x, ok := ints["EndExpirationDate"]; ok {
		fs = append(fs, func(d *domain) bool { return d.expires.UnixMilli() <= x })
	}
	if x, ok := ints["StartRegistrationDate"]; ok {
		fs = append(fs, func(d *domain) bool { return d.registered.UnixMilli() >= x })
	}
	if x, ok := ints["EndRegistrationDate"]; ok {
		fs = append(fs, func(d *domain) bool { return d.registered.UnixMilli() <= x })
	}
	if v := p["ProductDomainType"]; v != "" {
		fs = append(fs, func(d *domain) bool { return strings.EqualFold(v, domainType(d.name)) })
	}
	if v := p["ResourceGroupId"]; v != "" {
		fs = append(fs, func(d *domain) bool { return d.fam.resourceGroupID() == v })
	}
	if b, ok := bools["IsPremiumDomain"]; ok {
		fs = append(fs, func(d *domain) bool { return d.premium == b })
	}
	for k := range p {
		if strings.HasPrefix(k, "Tag.") {
			fs = append(fs, func(*domain) bool { return false })
			break
		}
	}
	return func(d *domain) bool {
		for _, f := range fs {
			if !f(d) {
				return false
			}
		}
		return true
	}, nil
}

// formOf is the Form of a first label (0 for one with other characters).
func formOf(label string) int64 {
	letters, digits := false, false
	for i := 0; i < len(label); i++ {
		switch c := label[i]; {
		case 'a' <= c && c <= 'z':
			letters = true
		case '0' <= c && c <= '9':
			digits = true
		default:
			return 0
		}
	}
	switch {
	case letters && digits:
		return FormLettersAndDigits
	case digits:
		return FormDigits
	case letters:
		return FormLetters
	}
	return 0
}

// search returns the account's domains that f keeps, by canonical name.
// s.mu is held.
func (s *Server) search(f domainFilter) []*domain {
	var list []*domain
	for _, d := range s.domains {
		if f(d) {
			list = append(list, d)
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].key < list[j].key })
	return list
}

type advancedListResponse struct {
	pageInfo
	Data struct {
		Domain []searchItem `json:"Domain" xml:"Domain"`
	} `json:"Data" xml:"Data"`
}

// queryAdvancedDomainList pages through the domains searchFilter keeps (at
// most MaxAdvancedResults), by name unless a sort flag says otherwise
// (ExpirationDateSort, RegistrationDateSort, ProductDomainTypeSort,
// DomainNameSort, in that precedence; true ascending, false descending).
// PageNum 0 is the first page, as the service documents.
func (s *Server) queryAdvancedDomainList(c *actionCall) (any, *gatewayError) {
	p := c.p
	if p["PageNum"] == "0" {
		p = make(params, len(c.p))
		for k, v := range c.p {
			p[k] = v
		}
		p["PageNum"] = "1"
	}
	num, size, err := s.pageParams(p)
	if err != nil {
		return nil, err
	}
	f, err := searchFilter(p)
	if err != nil {
		return nil, err
	}
	type sortKey struct {
		name string
		cmp  func(a, b *domain) int
	}
	var keys []func(a, b *domain) int
	for _, k := range []sortKey{
		{"ExpirationDateSort", func(a, b *domain) int { return a.expires.Compare(b.expires) }},
		{"RegistrationDateSort", func(a, b *domain) int { return a.registered.Compare(b.registered) }},
		{"ProductDomainTypeSort", func(a, b *domain) int { return strings.Compare(domainType(a.name), domainType(b.name)) }},
		{"DomainNameSort", func(a, b *domain) int { return strings.Compare(a.key, b.key) }},
	} {
		if v := p[k.name]; v != "" {
			asc, ok := wireBool(v)
			if !ok {
				return nil, errInvalid(k.name)
			}
			cmp := k.cmp
			if !asc {
				cmp = func(a, b *domain) int { return -k.cmp(a, b) }
			}
			keys = append(keys, cmp)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(c.now)
	list := s.search(f)
	sort.SliceStable(list, func(i, j int) bool {
		for _, k := range keys {
			if c := k(list[i], list[j]); c != 0 {
				return c < 0
			}
		}
		return false
	})
	list = list[:min(len(list), MaxAdvancedResults)]
	lo, hi, pi := paginate(c.reqID, len(list), num, size)
	resp := advancedListResponse{pageInfo: pi}
	resp.Data.Domain = make([]searchItem, 0, hi-lo)
	for _, d := range list[lo:hi] {
		resp.Data.Domain = append(resp.Data.Domain, searchItemOf(d, c.now))
	}
	return resp, nil
}

// scroll is a ScrollDomainList search: the domains the first call's
// filters kept.
type scroll struct {
	keys []string
}

type scrollListResponse struct {
	RequestID    string `json:"RequestId" xml:"RequestId"`
	PageSize     int    `json:"PageSize" xml:"PageSize"`
	ScrollID     string `json:"ScrollId" xml:"ScrollId"`
	TotalItemNum int    `json:"TotalItemNum" xml:"TotalItemNum"`
	Data         struct {
		Domain []searchItem `json:"Domain" xml:"Domain"`
	} `json:"Data" xml:"Data"`
}

// scrollDomainList runs a scroll, as the service documents it: the first
// call (no ScrollId) takes the filters (those of searchFilter), answers a
// ScrollId and TotalItemNum and no domains; each call with a ScrollId
// answers the next PageSize domains (default 200), in name order, as they
// are now (filters given again are ignored), and the ScrollId to go on
// with, empty once the last domains were served (or none matched). Each
// ScrollId names a position, so that a call sent again answers the same
// domains. A ScrollId the Server did not give is InvalidParameter.
func (s *Server) scrollDomainList(c *actionCall) (any, *gatewayError) {
	size := 200
	if v := c.p["PageSize"]; v != "" {
		n, ok := wireInt(v)
		if !ok || n < 1 || n > int64(s.cfg.pageSizeLimit) {
			return nil, errInvalid("PageSize")
		}
		size = int(n)
	}
	resp := scrollListResponse{RequestID: c.reqID, PageSize: size}
	resp.Data.Domain = []searchItem{}
	id := c.p["ScrollId"]
	if id == "" {
		f, err := searchFilter(c.p)
		if err != nil {
			return nil, err
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		s.settle(c.now)
		list := s.search(f)
		sc := &scroll{keys: make([]string, len(list))}
		for i, d := range list {
			sc.keys[i] = d.key
		}
		resp.TotalItemNum = len(list)
		if len(list) > 0 {
			if s.fam.scrolls == nil {
				s.fam.scrolls = make(map[string]*scroll)
			}
			base := "scroll-" + newUUID()
			s.fam.scrolls[base] = sc
			resp.ScrollID = base + ":0"
		}
		return resp, nil
	}
	base, pos, _ := strings.Cut(id, ":")
	from, perr := strconv.Atoi(pos)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle(c.now)
	sc := s.fam.scrolls[base]
	if sc == nil || perr != nil || from < 0 || from > len(sc.keys) {
		return nil, errInvalid("ScrollId")
	}
	resp.TotalItemNum = len(sc.keys)
	next := from
	for next < len(sc.keys) && len(resp.Data.Domain) < size {
		if d := s.domains[sc.keys[next]]; d != nil {
			resp.Data.Domain = append(resp.Data.Domain, searchItemOf(d, c.now))
		}
		next++
	}
	if next < len(sc.keys) {
		resp.ScrollID = base + ":" + strconv.Itoa(next)
	}
	return resp, nil
}
