import { toOutputBody } from '../../src/protocol/output-body';

describe('toOutputBody', () => {
  const bytes = () => new TextEncoder().encode('héllo, wörld');

  it('decodes UTF-8 by default, as the SDK Body does', () => {
    expect(toOutputBody(bytes()).transformToString()).toBe('héllo, wörld');
  });

  it('gives base64 and other TextDecoder encodings', () => {
    expect(toOutputBody(bytes()).transformToString('base64')).toBe(Buffer.from('héllo, wörld').toString('base64'));
    expect(toOutputBody(new Uint8Array([0x68, 0, 0x69, 0])).transformToString('utf-16le')).toBe('hi');
  });

  it('keeps the same bytes, uncopied, comparing equal to a plain Uint8Array', () => {
    const raw = bytes();
    const body = toOutputBody(raw);
    expect(body).toBe(raw);
    expect(body).toEqual(bytes());
    expect(Object.keys(body)).toEqual(Object.keys(bytes()));
  });

  it('encodes a large body to base64 without overflowing the call stack', () => {
    const big = new Uint8Array(300_000).fill(65);
    expect(toOutputBody(big).transformToString('base64')).toBe(Buffer.from(big).toString('base64'));
  });
});
