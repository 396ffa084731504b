import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseUrlEncoded, percentEncode } from '../../src/emulator/percent-encoding';
import { canonicalQueryV1, signV1, stringToSignV1 } from '../../src/emulator/signature-v1';
import { canonicalQueryV3, parseV3Authorization, signV3, stringToSignV3 } from '../../src/emulator/signature-v3';

describe('V1 signature (HMAC-SHA1)', () => {
  // The test vector of the API reference §5.3.
  const params = {
    AccessKeyId: 'testid',
    Action: 'DescribeRouterInterfaces',
    'Filter.1.Key': 'Status',
    'Filter.1.Value.1': 'Active',
    Format: 'JSON',
    RegionId: 'cn-hangzhou',
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
    SignatureVersion: '1.0',
    Timestamp: '2024-01-01T00:00:00Z',
    Version: '2016-04-28',
  };

  it('reproduces the reference canonical string, string to sign and signature', () => {
    expect(canonicalQueryV1(params)).toBe(
      'AccessKeyId=testid&Action=DescribeRouterInterfaces&Filter.1.Key=Status&Filter.1.Value.1=Active&Format=JSON&RegionId=cn-hangzhou&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0&Timestamp=2024-01-01T00%3A00%3A00Z&Version=2016-04-28',
    );
    const stringToSign = stringToSignV1('GET', params);
    expect(stringToSign).toBe(
      'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRouterInterfaces%26Filter.1.Key%3DStatus%26Filter.1.Value.1%3DActive%26Format%3DJSON%26RegionId%3Dcn-hangzhou%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2024-01-01T00%253A00%253A00Z%26Version%3D2016-04-28',
    );
    expect(signV1(stringToSign, 'testsecret')).toBe('Grhmu0GdY0brXqQBu2eWUgqOYQ4=');
  });

  it('ignores Signature itself and depends on the method', () => {
    expect(canonicalQueryV1({ ...params, Signature: 'x' })).toBe(canonicalQueryV1(params));
    expect(stringToSignV1('POST', params).startsWith('POST&%2F&')).toBe(true);
  });
});

describe('percent-encoding', () => {
  it('leaves only unreserved characters literal', () => {
    expect(percentEncode("a b!'()*~-_.中/+=")).toBe('a%20b%21%27%28%29%2A~-_.%E4%B8%AD%2F%2B%3D');
  });

  it('decodes query strings and form bodies, later keys winning', () => {
    expect(parseUrlEncoded('A=1&B=x%20y+z&A=2&C&D=%ZZ')).toEqual({ A: '2', B: 'x y z', C: '', D: '%ZZ' });
  });
});

describe('V3 signature (ACS3-HMAC-SHA256)', () => {
  it('parses the Authorization header and refuses malformed ones', () => {
    expect(parseV3Authorization('ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host;x-acs-date,Signature=abc')).toEqual({
      accessKeyId: 'AK',
      signedHeaders: ['host', 'x-acs-date'],
      signature: 'abc',
    });
    expect(parseV3Authorization('ACS3-HMAC-SHA256 Credential=AK')).toBeUndefined();
    expect(parseV3Authorization('HMAC-SHA1 Credential=AK,SignedHeaders=a,Signature=b')).toBeUndefined();
  });

  it('builds the canonical request the SDK builds (raw sorted names, encoded values)', () => {
    expect(canonicalQueryV3({ 'Filter.1.Value.1': 'a b', RegionId: 'cn-hangzhou', 'Filter.1.Key': 'Status' })).toBe(
      'Filter.1.Key=Status&Filter.1.Value.1=a%20b&RegionId=cn-hangzhou',
    );
    const payloadHash = createHash('sha256').update('').digest('hex');
    const headers = { host: '127.0.0.1:1', 'x-acs-action': 'DescribeRouterInterfaces', 'x-acs-date': '2026-01-01T00:00:00Z' };
    const canonicalRequest = [
      'POST',
      '/',
      'RegionId=cn-hangzhou',
      'host:127.0.0.1:1\nx-acs-action:DescribeRouterInterfaces\nx-acs-date:2026-01-01T00:00:00Z\n',
      'host;x-acs-action;x-acs-date',
      payloadHash,
    ].join('\n');
    const expected = `ACS3-HMAC-SHA256\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
    const stringToSign = stringToSignV3({
      method: 'post',
      pathname: '/',
      query: { RegionId: 'cn-hangzhou' },
      headers,
      signedHeaders: ['x-acs-date', 'host', 'x-acs-action'],
      payloadHash,
    });
    expect(stringToSign).toBe(expected);
    expect(signV3(stringToSign, 'secret')).toBe(createHmac('sha256', 'secret').update(expected).digest('hex'));
  });
});
