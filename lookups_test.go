package alidomain

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/alidomaintest"
)

func TestCheckDomainParams(t *testing.T) {
	c, ts := setup(t)
	ts.reply("CheckDomain", 200, `{"RequestId":"R","Avail":"1"}`)
	_, err := c.Domains.Check(context.Background(), &CheckDomainRequest{
		DomainName: "例子.cn", FeeCommand: PriceCreate, FeeCurrency: "USD", FeePeriod: 2, Lang: "zh",
	})
	require.NoError(t, err)
	_, err = c.Domains.Check(context.Background(), &CheckDomainRequest{DomainName: "a.com"})
	require.NoError(t, err)
	reqs := ts.requests()
	require.Len(t, reqs, 2)
	assertParams(t, commonParams("CheckDomain", map[string]string{
		"DomainName": "例子.cn", "FeeCommand": "create", "FeeCurrency": "USD", "FeePeriod": "2", "Lang": "zh",
	}), reqs[0].Query)
	assertParams(t, commonParams("CheckDomain", map[string]string{"DomainName": "a.com"}), reqs[1].Query)
}

var wantCheck = CheckDomainResult{
	Meta:       Meta{RequestID: "R-C", Attempts: 1},
	DomainName: "test.xin", Avail: AvailRegistrable, Premium: true, Price: 1286, DynamicCheck: true, Reason: "",
	StaticPrices: []StaticPrice{{Action: "create", Money: 55.5, Years: 1}, {Action: "renew", Money: 60, Years: 2}},
}

func TestCheckDomainDecode(t *testing.T) {
	c, ts := setup(t)
	// Avail and Premium are strings on the wire; money is a number in v2's
	// model and a string in v1's.
	ts.reply("CheckDomain", 200, `{"RequestId":"R-C","DomainName":"test.xin","Avail":"1","Premium":"true","Price":1286,
		"DynamicCheck":true,"Reason":"","StaticPriceInfo":{"PriceInfo":[{"action":"create","money":55.5,"period":1},{"action":"renew","money":"60","period":"2"}]}}`)
	res, err := c.Domains.Check(context.Background(), &CheckDomainRequest{DomainName: "test.xin"})
	require.NoError(t, err)
	require.Equal(t, wantCheck, *res)

	// XML.
	c, ts = setup(t, func(o *Options) { o.Format = "XML" })
	ts.reply("CheckDomain", 200, `<?xml version="1.0" encoding="UTF-8"?><CheckDomainResponse><RequestId>R-C</RequestId>
<DomainName>test.xin</DomainName><Avail>1</Avail><Premium>true</Premium><Price>1286</Price><DynamicCheck>true</DynamicCheck><Reason></Reason>
<StaticPriceInfo><PriceInfo><action>create</action><money>55.5</money><period>1</period></PriceInfo>
<PriceInfo><action>renew</action><money>60</money><period>2</period></PriceInfo></StaticPriceInfo></CheckDomainResponse>`)
	res, err = c.Domains.Check(context.Background(), &CheckDomainRequest{DomainName: "test.xin"})
	require.NoError(t, err)
	require.Equal(t, wantCheck, *res)

	// Every Avail code, and a taken name with its reason and no price table.
	for code, want := range map[string]Availability{"0": AvailNotRegistrable, "3": AvailPreRegistration, "4": AvailReservable,
		"-1": AvailAbnormal, "-2": AvailPaused, "-3": AvailBlacklisted, "9": Availability(9)} {
		c, ts := setup(t)
		ts.reply("CheckDomain", 200, `{"RequestId":"R","DomainName":"a.com","Avail":"`+code+`","Premium":"false","Reason":"In use","StaticPriceInfo":{}}`)
		res, err := c.Domains.Check(context.Background(), &CheckDomainRequest{DomainName: "a.com"})
		require.NoError(t, err, code)
		require.Equal(t, want, res.Avail, code)
		require.Equal(t, "In use", res.Reason)
		require.Empty(t, res.StaticPrices)
	}
	require.Equal(t, "registrable", AvailRegistrable.String())
	require.Equal(t, "blacklisted", AvailBlacklisted.String())
	require.Equal(t, "Availability(9)", Availability(9).String())
}

// An answer without Avail is an error: it must not read as "not
// registrable" (0), nor as anything else.
func TestCheckDomainNeedsAvail(t *testing.T) {
	for _, body := range []string{
		`{"RequestId":"R","DomainName":"a.com"}`,
		`{"RequestId":"R","DomainName":"a.com","Avail":""}`,
		`{"RequestId":"R","DomainName":"a.com","Avail":null}`,
	} {
		c, ts := setup(t)
		ts.reply("CheckDomain", 200, body)
		res, err := c.Domains.Check(context.Background(), &CheckDomainRequest{DomainName: "a.com"})
		require.Nil(t, res)
		require.ErrorContains(t, err, "no Avail", body)
	}
	c, ts := setup(t)
	ts.reply("CheckDomain", 200, `{"RequestId":"R","Avail":"1","StaticPriceInfo":{"PriceInfo":[{"action":"create","money":"cheap"}]}}`)
	_, err := c.Domains.Check(context.Background(), &CheckDomainRequest{DomainName: "a.com"})
	require.ErrorContains(t, err, "not a number")

	// An answer about another name is an error; one without a name is
	// about the name asked for, in any form.
	ts.reply("CheckDomain", 200, `{"RequestId":"R","DomainName":"b.com","Avail":"1"}`)
	res, err := c.Domains.Check(context.Background(), &CheckDomainRequest{DomainName: "a.com"})
	require.Nil(t, res)
	require.ErrorContains(t, err, `asked about "a.com", the response is about "b.com"`)
	ts.reply("CheckDomain", 200, `{"RequestId":"R","Avail":"1"}`)
	res, err = c.Domains.Check(context.Background(), &CheckDomainRequest{DomainName: "a.com"})
	require.NoError(t, err)
	require.Equal(t, "a.com", res.DomainName)
	ts.reply("CheckDomain", 200, `{"RequestId":"R","DomainName":"XN--FSQU00A.cn","Avail":"0"}`)
	res, err = c.Domains.Check(context.Background(), &CheckDomainRequest{DomainName: "例子.cn"})
	require.NoError(t, err)
	require.Equal(t, AvailNotRegistrable, res.Avail)
}

func TestCheckDomainValidation(t *testing.T) {
	c, ts := setup(t)
	for _, tc := range []struct {
		req   *CheckDomainRequest
		field string
	}{
		{nil, "CheckDomainRequest"},
		{&CheckDomainRequest{}, "DomainName"},
		{&CheckDomainRequest{DomainName: "no-tld"}, "DomainName"},
		{&CheckDomainRequest{DomainName: "a.com", FeeCommand: "buy"}, "FeeCommand"},
		{&CheckDomainRequest{DomainName: "a.com", FeeCurrency: "dollars"}, "FeeCurrency"},
		{&CheckDomainRequest{DomainName: "a.com", FeePeriod: 11}, "FeePeriod"},
		{&CheckDomainRequest{DomainName: "a.com", FeePeriod: -1}, "FeePeriod"},
		{&CheckDomainRequest{DomainName: "a.com", Lang: "fr"}, "Lang"},
	} {
		_, err := c.Domains.Check(context.Background(), tc.req)
		requireValidationField(t, err, tc.field)
	}
	require.Empty(t, ts.requests())
}

func TestCheckDomainOnSimulator(t *testing.T) {
	c, sim := simClient(t, nil)
	sim.AddAvailable("fresh.com")
	sim.SetPrice("fresh.com", alidomaintest.PriceCreate, 9.99, "USD")
	sim.AddDomain("taken.com", simExpiry, alidomaintest.Normal())
	res, err := c.Domains.Check(context.Background(), &CheckDomainRequest{DomainName: "fresh.com", FeeCommand: PriceCreate, FeePeriod: 2})
	require.NoError(t, err)
	require.Equal(t, AvailRegistrable, res.Avail)
	require.Equal(t, []StaticPrice{{Action: PriceCreate, Money: 19.98, Years: 2}}, res.StaticPrices)
	res, err = c.Domains.Check(context.Background(), &CheckDomainRequest{DomainName: "taken.com"})
	require.NoError(t, err)
	require.Equal(t, AvailNotRegistrable, res.Avail)
	require.Equal(t, "In use", res.Reason)
}

func TestGetDomainParams(t *testing.T) {
	c, ts := setup(t, func(o *Options) { o.Lang = "en" })
	ts.reply("QueryDomainByDomainName", 200, `{"RequestId":"R","DomainName":"例子.cn","ExpirationDateLong":1828170133123}`)
	_, err := c.Domains.Get(context.Background(), &GetDomainRequest{DomainName: "例子.cn", UserClientIP: "192.0.2.1", Lang: "zh"})
	require.NoError(t, err)
	_, err = c.Domains.Get(context.Background(), &GetDomainRequest{DomainName: "例子.cn"})
	require.NoError(t, err)
	reqs := ts.requests()
	assertParams(t, commonParams("QueryDomainByDomainName", map[string]string{
		"DomainName": "例子.cn", "UserClientIp": "192.0.2.1", "Lang": "zh",
	}), reqs[0].Query)
	assertParams(t, commonParams("QueryDomainByDomainName", map[string]string{"DomainName": "例子.cn", "Lang": "en"}), reqs[1].Query)
}

const domainInfoJSON = `{"RequestId":"R-G","DomainName":"example.com","InstanceId":"S20179H1BBI9","UserId":"1210000000",
"DomainStatus":"3","DomainType":"gTLD","Premium":false,"RegistrationDate":"2017-12-07 17:02:13","RegistrationDateLong":1512637333000,
"ExpirationDate":"2027-12-07 17:02:13","ExpirationDateLong":1828170133123,"ExpirationDateStatus":"1","ExpirationCurrDateDiff":356,
"DnsList":{"Dns":["dns1.hichina.com,dns2.hichina.com","dns3.example.net"]},
"Tag":{"Tag":[{"Key":"team","Vaue":"web"},{"Key":"env","Value":"prod","Vaue":"ignored"}]},
"Email":"username@example.com","EmailVerificationStatus":1,"EmailVerificationClientHold":false,
"RealNameStatus":"NONAUDIT","DomainNameVerificationStatus":"SUCCEED","DomainNameProxyService":true,"RegistrantType":"2",
"RegistrantName":"Test litm","RegistrantOrganization":"Test Org","ZhRegistrantName":"王先生","ZhRegistrantOrganization":"王先生公司",
"RegistrantUpdatingStatus":"NORMAL","TransferOutStatus":"PENDING","TransferProhibitionLock":"CLOSE","UpdateProhibitionLock":"NONE_SETTING",
"DomainGroupId":123456,"DomainGroupName":"g","ResourceGroupId":"rg-acfmw6bpc6n7zai","Remark":"keep","Registrar":"r",
"PrivacyServiceStatus":"UN_SUPPORT","CnnicPrivacyServiceStatus":"UN_SUPPORT"}`

var wantDomainDetail = DomainDetail{
	Meta:       Meta{RequestID: "R-G", Attempts: 1},
	DomainName: "example.com", InstanceID: "S20179H1BBI9", UserID: "1210000000",
	DomainStatus: DomainNormal, DomainType: "gTLD",
	RegistrationDate:     time.UnixMilli(1512637333000).UTC(),
	ExpirationDate:       time.UnixMilli(1828170133123).UTC(),
	ExpirationDateStatus: "1", ExpirationCurrDateDiff: 356,
	DNS:   []string{"dns1.hichina.com", "dns2.hichina.com", "dns3.example.net"},
	Tags:  []Tag{{Key: "team", Value: "web"}, {Key: "env", Value: "prod"}},
	Email: "username@example.com", EmailVerificationStatus: 1,
	RealNameStatus: "NONAUDIT", DomainNameVerificationStatus: "SUCCEED", DomainNameProxyService: true,
	RegistrantType: "2", RegistrantName: "Test litm", RegistrantOrganization: "Test Org",
	ZhRegistrantName: "王先生", ZhRegistrantOrganization: "王先生公司",
	RegistrantUpdatingStatus: "NORMAL", TransferOutStatus: "PENDING",
	TransferProhibitionLock: "CLOSE", UpdateProhibitionLock: "NONE_SETTING",
	DomainGroupID: 123456, DomainGroupName: "g", ResourceGroupID: "rg-acfmw6bpc6n7zai", Remark: "keep", Registrar: "r",
	PrivacyServiceStatus: "UN_SUPPORT", CnnicPrivacyServiceStatus: "UN_SUPPORT",
}

func TestGetDomainDecode(t *testing.T) {
	c, ts := setup(t)
	ts.reply("QueryDomainByDomainName", 200, domainInfoJSON)
	d, err := c.Domains.Get(context.Background(), &GetDomainRequest{DomainName: "Example.COM"})
	require.NoError(t, err)
	require.Equal(t, wantDomainDetail, *d)
	require.Equal(t, int64(1828170133123), d.ExpirationDate.UnixMilli(), "the exact milliseconds an order quotes")

	c, ts = setup(t, func(o *Options) { o.Format = "XML" })
	ts.reply("QueryDomainByDomainName", 200, `<?xml version="1.0" encoding="UTF-8"?><QueryDomainByDomainNameResponse>
<RequestId>R-G</RequestId><DomainName>example.com</DomainName><InstanceId>S20179H1BBI9</InstanceId><UserId>1210000000</UserId>
<DomainStatus>3</DomainStatus><DomainType>gTLD</DomainType><Premium>false</Premium><RegistrationDate>2017-12-07 17:02:13</RegistrationDate>
<RegistrationDateLong>1512637333000</RegistrationDateLong><ExpirationDate>2027-12-07 17:02:13</ExpirationDate>
<ExpirationDateLong>1828170133123</ExpirationDateLong><ExpirationDateStatus>1</ExpirationDateStatus><ExpirationCurrDateDiff>356</ExpirationCurrDateDiff>
<DnsList><Dns>dns1.hichina.com,dns2.hichina.com</Dns><Dns>dns3.example.net</Dns></DnsList>
<Tag><Tag><Key>team</Key><Vaue>web</Vaue></Tag><Tag><Key>env</Key><Value>prod</Value><Vaue>ignored</Vaue></Tag></Tag>
<Email>username@example.com</Email><EmailVerificationStatus>1</EmailVerificationStatus><EmailVerificationClientHold>false</EmailVerificationClientHold>
<RealNameStatus>NONAUDIT</RealNameStatus><DomainNameVerificationStatus>SUCCEED</DomainNameVerificationStatus><DomainNameProxyService>true</DomainNameProxyService>
<RegistrantType>2</RegistrantType><RegistrantName>Test litm</RegistrantName><RegistrantOrganization>Test Org</RegistrantOrganization>
<ZhRegistrantName>王先生</ZhRegistrantName><ZhRegistrantOrganization>王先生公司</ZhRegistrantOrganization>
<RegistrantUpdatingStatus>NORMAL</RegistrantUpdatingStatus><TransferOutStatus>PENDING</TransferOutStatus>
<TransferProhibitionLock>CLOSE</TransferProhibitionLock><UpdateProhibitionLock>NONE_SETTING</UpdateProhibitionLock>
<DomainGroupId>123456</DomainGroupId><DomainGroupName>g</DomainGroupName><ResourceGroupId>rg-acfmw6bpc6n7zai</ResourceGroupId>
<Remark>keep</Remark><Registrar>r</Registrar><PrivacyServiceStatus>UN_SUPPORT</PrivacyServiceStatus><CnnicPrivacyServiceStatus>UN_SUPPORT</CnnicPrivacyServiceStatus>
</QueryDomainByDomainNameResponse>`)
	d, err = c.Domains.Get(context.Background(), &GetDomainRequest{DomainName: "example.com"})
	require.NoError(t, err)
	require.Equal(t, wantDomainDetail, *d)
}

// The details of another domain, or of none, or with an unreadable date,
// are an error: an order built from them would quote the wrong date.
func TestGetDomainRefusesUnusableAnswers(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{`{"RequestId":"R","DomainName":"other.com","ExpirationDateLong":1828170133123}`, `asked for "example.com", the response is about "other.com"`},
		{`{"RequestId":"R"}`, "no DomainName"},
		{`{"RequestId":"R","DomainName":"example.com","ExpirationDate":"soon"}`, "ExpirationDate"},
		{`{"RequestId":"R","DomainName":"example.com","RegistrationDateLong":"x"}`, "not an integer"},
		{`{"RequestId":"R","DomainName":"example.com","DnsList":"dns1"}`, "neither an object nor a list"},
	} {
		c, ts := setup(t)
		ts.reply("QueryDomainByDomainName", 200, tc.body)
		d, err := c.Domains.Get(context.Background(), &GetDomainRequest{DomainName: "example.com"})
		require.Nil(t, d)
		require.ErrorContains(t, err, tc.want, tc.body)
	}
	// Either form of an IDN answers the other; empty lists are empty.
	c, ts := setup(t)
	ts.reply("QueryDomainByDomainName", 200, `{"RequestId":"R","DomainName":"xn--fsqu00a.cn","ExpirationDate":"2027-12-07 17:02:13","DnsList":{},"Tag":{"Tag":[]}}`)
	d, err := c.Domains.Get(context.Background(), &GetDomainRequest{DomainName: "例子.cn"})
	require.NoError(t, err)
	require.Equal(t, "xn--fsqu00a.cn", d.DomainName)
	require.Empty(t, d.DNS)
	require.Empty(t, d.Tags)
}

func TestGetDomainValidation(t *testing.T) {
	c, ts := setup(t)
	for _, tc := range []struct {
		req   *GetDomainRequest
		field string
	}{
		{nil, "GetDomainRequest"},
		{&GetDomainRequest{}, "DomainName"},
		{&GetDomainRequest{DomainName: "a.com", UserClientIP: "me"}, "UserClientIP"},
		{&GetDomainRequest{DomainName: "a.com", Lang: "de"}, "Lang"},
	} {
		_, err := c.Domains.Get(context.Background(), tc.req)
		requireValidationField(t, err, tc.field)
	}
	require.Empty(t, ts.requests())
}

func TestGetDomainOnSimulator(t *testing.T) {
	for _, format := range []string{"JSON", "XML"} {
		c, sim := simClient(t, nil, func(o *Options) { o.Format = format })
		sim.AddDomain("例子-acme.cn", simExpiry, alidomaintest.NeedsRenewal(), alidomaintest.InstanceID("S-ACME"), alidomaintest.Remark("r"))
		d, err := c.Domains.Get(context.Background(), &GetDomainRequest{DomainName: "例子-acme.cn"})
		require.NoError(t, err, format)
		require.Equal(t, "S-ACME", d.InstanceID)
		require.Equal(t, DomainNeedsRenewal, d.DomainStatus)
		require.Equal(t, simExpiry, d.ExpirationDate)
		require.Equal(t, "r", d.Remark)
		require.NotEmpty(t, d.DNS)

		_, err = c.Domains.Get(context.Background(), &GetDomainRequest{DomainName: "not-mine.com"})
		var ae *APIError
		require.ErrorAs(t, err, &ae, format)
	}
}
