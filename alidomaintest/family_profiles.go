package alidomaintest

import (
	"fmt"
	"sort"
	"strconv"
	"time"
)

// Real-name verification statuses of a registrant profile, as
// QueryRegistrantProfiles reports them in RealNameStatus.
const (
	// RealNameNotAudited: nothing submitted yet (a new profile).
	RealNameNotAudited = "NONAUDIT"
	// RealNameAuditing: an identity document was submitted and awaits the
	// audit (see SetRegistrantProfileRealName).
	RealNameAuditing = "AUDITING"
	// RealNameSucceed: verified; orders and contact changes may use it.
	RealNameSucceed = "SUCCEED"
	// RealNameFailed: the audit refused the document.
	RealNameFailed = "FAILED"
)

func init() {
	for name, h := range map[string]func(*Server, *actionCall) (any, *gatewayError){
		"SaveRegistrantProfile":                                   (*Server).saveRegistrantProfile,
		"SaveRegistrantProfileRealNameVerification":               (*Server).saveRegistrantProfile,
		"RegistrantProfileRealNameVerification":                   (*Server).registrantProfileRealNameVerification,
		"QueryRegistrantProfiles":                                 (*Server).queryRegistrantProfiles,
		"QueryRegistrantProfileRealNameVerificationInfo":          (*Server).queryRegistrantProfileRealNameInfo,
		"QueryFailReasonForRegistrantProfileRealNameVerification": (*Server).queryRegistrantProfileFailReasons,
		"DeleteRegistrantProfile":                                 (*Server).deleteRegistrantProfile,
		"SetDefaultRegistrantProfile":                             (*Server).setDefaultRegistrantProfile,
	} {
		actions[name] = actionDef{handle: h}
	}
}

// profileFields are the contact fields a registrant profile holds, as
// SaveRegistrantProfile takes them and QueryRegistrantProfiles lists them.
var profileFields = []string{
	"Address", "City", "Country", "Email", "PostalCode", "Province",
	"RegistrantName", "RegistrantOrganization", "RegistrantProfileType",
	"RegistrantType", "TelArea", "TelExt", "Telephone", "ZhAddress", "ZhCity",
	"ZhProvince", "ZhRegistrantName", "ZhRegistrantOrganization",
}

// registrantState is the account's registrant profiles (s.mu guards it);
// Server.profiles indexes the same ids for the orders.
type registrantState struct {
	byID   map[int64]*registrantProfile
	lastID int64
}

type registrantProfile struct {
	id               int64
	fields           map[string]string // profileFields
	isDefault        bool
	realName         string
	credType, credNo string // the identity document submitted
	cred             string
	submitted        time.Time // identity document submitted
	created, updated time.Time
	failures         []profileFailure // QueryFailReason...
}

type profileFailure struct {
	at     time.Time
	reason string
}

// sampleProfile is the contact of a profile added with
// AddRegistrantProfile, and of a domain no contact change touched.
var sampleProfile = map[string]string{
	"Address": "1 Example Road", "City": "Hangzhou", "Country": "CN",
	"Email": "registrant@example.com", "PostalCode": "310000",
	"Province": "Zhejiang", "RegistrantName": "Test Registrant",
	"RegistrantOrganization": "Test Registrant", "RegistrantProfileType": "common",
	"RegistrantType": "1", "TelArea": "86", "Telephone": "57100000000",
}

// add makes a verified profile id with the sample contact. s.mu is held.
func (r *registrantState) add(id int64, now time.Time) {
	if r.byID == nil {
		r.byID = make(map[int64]*registrantProfile)
	}
	f := make(map[string]string, len(sampleProfile))
	for k, v := range sampleProfile {
		f[k] = v
	}
	r.byID[id] = &registrantProfile{id: id, fields: f, realName: RealNameSucceed, created: now, updated: now}
	r.lastID = max(r.lastID, id)
}

// usable says whether orders and contact changes may name profile id: nil
// when it is verified or unknown here (the caller checks it is known),
// else the refusal for the parameter it is given. s.mu is held.
func (r *registrantState) usable(id int64) func(name string) *gatewayError {
	p := r.byID[id]
	if p == nil || p.realName == RealNameSucceed {
		return nil
	}
	return func(name string) *gatewayError {
		return errRefused(name, "the registrant profile has not passed real-name verification")
	}
}

// SetRegistrantProfileRealName sets the real-name verification status of
// the registrant profile id (RealNameNotAudited, RealNameAuditing,
// RealNameSucceed or RealNameFailed), as the audit of a submitted identity
// document would: only a profile with RealNameSucceed may be named by
// orders and contact changes. With RealNameFailed, a non-empty reason is
// added to the reasons QueryFailReasonForRegistrantProfileRealNameVerification
// lists. It panics on an unknown id or status.
func (s *Server) SetRegistrantProfileRealName(id int64, status, reason string) {
	switch status {
	case RealNameNotAudited, RealNameAuditing, RealNameSucceed, RealNameFailed:
	default:
		panic(fmt.Sprintf("alidomaintest: SetRegistrantProfileRealName: unknown status %q", status))
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.regs.byID[id]
	if p == nil {
		panic(fmt.Sprintf("alidomaintest: SetRegistrantProfileRealName: unknown profile %d", id))
	}
	p.realName, p.updated = status, now
	if status == RealNameFailed && reason != "" {
		p.failures = append(p.failures, profileFailure{now, reason})
	}
}

// RegistrantProfileRealName returns the real-name status of the registrant
// profile id and whether the account has it.
func (s *Server) RegistrantProfileRealName(id int64) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.regs.byID[id]; p != nil {
		return p.realName, true
	}
	return "", false
}

// profileID reads the parameter name as a profile id the account has.
// s.mu is held.
func (s *Server) profileID(p params, name string) (*registrantProfile, *gatewayError) {
	id, ok := wireInt(p[name])
	if !ok {
		return nil, errInvalid(name)
	}
	prof := s.regs.byID[id]
	if prof == nil {
		return nil, errProfileNotFound(name)
	}
	return prof, nil
}

// saveRegistrantProfile creates a profile (not verified) or, given
// RegistrantProfileId, updates one; with an identity document
// (SaveRegistrantProfileRealNameVerification) the profile awaits its audit.
func (s *Server) saveRegistrantProfile(c *actionCall) (any, *gatewayError) {
	if v := c.p["RegistrantType"]; v != "" && v != "1" && v != "2" {
		return nil, errInvalid("RegistrantType")
	}
	def, hasDef := false, c.p["DefaultRegistrantProfile"] != ""
	if hasDef {
		def, _ = wireBool(c.p["DefaultRegistrantProfile"])
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var prof *registrantProfile
	if c.p["RegistrantProfileId"] != "" {
		var err *gatewayError
		if prof, err = s.profileID(c.p, "RegistrantProfileId"); err != nil {
			return nil, err
		}
	} else {
		if s.regs.byID == nil {
			s.regs.byID = make(map[int64]*registrantProfile)
		}
		id := max(s.regs.lastID, 1000000) + 1
		for s.profiles[id] {
			id++
		}
		s.regs.lastID = id
		prof = &registrantProfile{id: id, fields: map[string]string{"RegistrantType": "1", "RegistrantProfileType": "common"},
			realName: RealNameNotAudited, created: c.now}
		s.regs.byID[id] = prof
		s.profiles[id] = true
	}
	for _, k := range profileFields {
		if v, ok := c.p[k]; ok {
			prof.fields[k] = v
		}
	}
	prof.updated = c.now
	if hasDef {
		s.regs.setDefault(prof, def)
	}
	if c.action == "SaveRegistrantProfileRealNameVerification" && c.p["IdentityCredentialNo"] != "" {
		prof.submit(c.p, c.now)
	}
	return s.stateAnswer(c, map[string]any{"RegistrantProfileId": prof.id})
}

// submit records an identity document: the profile awaits its audit.
func (p *registrantProfile) submit(q params, now time.Time) {
	p.credType, p.credNo, p.cred = q["IdentityCredentialType"], q["IdentityCredentialNo"], q["IdentityCredential"]
	p.realName, p.submitted, p.updated = RealNameAuditing, now, now
}

func (r *registrantState) setDefault(prof *registrantProfile, on bool) {
	if on {
		for _, o := range r.byID {
			o.isDefault = false
		}
	}
	prof.isDefault = on
}

func (s *Server) registrantProfileRealNameVerification(c *actionCall) (any, *gatewayError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	prof, err := s.profileID(c.p, "RegistrantProfileID")
	if err != nil {
		return nil, err
	}
	prof.submit(c.p, c.now)
	return s.stateAnswer(c, nil)
}

func (s *Server) deleteRegistrantProfile(c *actionCall) (any, *gatewayError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	prof, err := s.profileID(c.p, "RegistrantProfileId")
	if err != nil {
		return nil, err
	}
	delete(s.regs.byID, prof.id)
	delete(s.profiles, prof.id)
	return s.stateAnswer(c, nil)
}

func (s *Server) setDefaultRegistrantProfile(c *actionCall) (any, *gatewayError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	prof, err := s.profileID(c.p, "RegistrantProfileId")
	if err != nil {
		return nil, err
	}
	s.regs.setDefault(prof, true)
	return s.stateAnswer(c, nil)
}

// queryRegistrantProfiles lists the profiles by id, filtered by the
// request's fields (each an exact match).
func (s *Server) queryRegistrantProfiles(c *actionCall) (any, *gatewayError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]int64, 0, len(s.regs.byID))
	for id := range s.regs.byID {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	var list []map[string]any
	for _, id := range ids {
		p := s.regs.byID[id]
		if !p.matches(c.p) {
			continue
		}
		item := map[string]any{
			"RegistrantProfileId":      p.id,
			"DefaultRegistrantProfile": p.isDefault,
			"RealNameStatus":           p.realName,
			"EmailVerificationStatus":  int64(s.emails.status(p.fields["Email"])),
			"CreateTime":               formatCST(p.created),
			"UpdateTime":               formatCST(p.updated),
			"CredentialType":           p.credType,
			"CredentialNo":             p.credNo,
		}
		for k, v := range p.fields {
			item[k] = v
		}
		list = append(list, item)
	}
	return s.stateAnswer(c, map[string]any{"RegistrantProfiles": map[string]any{"RegistrantProfile": list}})
}

func (p *registrantProfile) matches(q params) bool {
	if v := q["RegistrantProfileId"]; v != "" && v != strconv.FormatInt(p.id, 10) {
		return false
	}
	if v := q["DefaultRegistrantProfile"]; v != "" && v != strconv.FormatBool(p.isDefault) {
		return false
	}
	if v := q["RealNameStatus"]; v != "" && v != p.realName {
		return false
	}
	for _, k := range []string{"Email", "RegistrantOrganization", "RegistrantProfileType", "RegistrantType", "ZhRegistrantOrganization"} {
		if v := q[k]; v != "" && v != p.fields[k] {
			return false
		}
	}
	return q["Remark"] == ""
}

// queryRegistrantProfileRealNameInfo answers the identity document
// submitted; the document itself only when FetchImage is true.
func (s *Server) queryRegistrantProfileRealNameInfo(c *actionCall) (any, *gatewayError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	prof, err := s.profileID(c.p, "RegistrantProfileId")
	if err != nil {
		return nil, err
	}
	vals := map[string]any{
		"RegistrantProfileId":    prof.id,
		"IdentityCredentialType": prof.credType,
		"IdentityCredentialNo":   prof.credNo,
		"ModificationDate":       formatCST(prof.updated),
	}
	if !prof.submitted.IsZero() {
		vals["SubmissionDate"] = formatCST(prof.submitted)
	}
	if c.p["FetchImage"] == "true" {
		vals["IdentityCredential"] = prof.cred
	}
	return s.stateAnswer(c, vals)
}

func (s *Server) queryRegistrantProfileFailReasons(c *actionCall) (any, *gatewayError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	prof, err := s.profileID(c.p, "RegistrantProfileID")
	if err != nil {
		return nil, err
	}
	list := make([]map[string]any, 0, len(prof.failures))
	for i := len(prof.failures) - 1; i >= 0; i-- { // newest first
		f := prof.failures[i]
		list = append(list, map[string]any{"Date": formatCST(f.at), "FailReason": f.reason})
	}
	return s.stateAnswer(c, map[string]any{"Data": list})
}
