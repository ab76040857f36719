#!/usr/bin/env python3
"""hostile_gen.py -- the hostile inputs of tests/e2e_hostile.sh

Writes, at test time, into DIR/in/:

  m_NAME.837 (or .837.gz)   one hostile 837 per case of e2e_hostile.sh
  facts                     shell assignments the test sources: where
                            the fault sits in each file (byte offset
                            O_NAME, segment number N_NAME, and so on),
                            computed here from the text, independently
                            of cart837's code
  rows_NAME                 expected findings.csv rows for the cases
                            whose rows are too many to spell out in the
                            shell script (claim|line|edit|action|detail|
                            segment|offset, as the test's rows() prints)

Every file is small and built from one template: an 837P interchange
(ISA13 000000901, sender SUBMITTER) with three claims H0, H1, H2, each
under its own subscriber (members HX0..HX2, which no sample uses) with
one line of 38228 (CAR-T administration, 1 unit, 2025-06-01): in a run
they pass with two flags each and never touch the samples' patients.
Multi-megabyte inputs are made here, never committed.

Usage: hostile_gen.py DIR   (python3 standard library only)
"""
import gzip
import os
import sys

OUT = os.path.join(sys.argv[1], 'in')
os.makedirs(OUT, exist_ok=True)
FACTS = []


def fact(name, value):
    FACTS.append("%s='%s'" % (name, value))


def put(name, data, ext='.837'):
    if isinstance(data, str):
        data = data.encode('latin-1')
    with open(os.path.join(OUT, 'm_' + name + ext), 'wb') as f:
        f.write(data)


def where(text, marker, start=0):
    """Offset and segment number (1-based) of the segment that starts
    with marker at or after start; segments end with '~'."""
    i = text.index(marker, start)
    return i, text[:i].count('~') + 1


def isa(ctl='000000901', date='250601', s06='SUBMITTER      ',
        s08='RECEIVER       ', isa11='^*'):
    return ('ISA*00*          *00*          *ZZ*%s*ZZ*%s*%s*1200*%s00501*'
            '%s*0*T*:~\n' % (s06, s08, date, isa11, ctl))


def claim(n, units='1', date='20250601', code='38228', charge='100',
          clm02=None, claim_dtp=None, sv1=None, member=None):
    s = ('HL*{hl}*1*22*0~\nSBR*P*18*G******CI~\n'
         'NM1*IL*1*DOE*J****MI*%s~\nDMG*D8*19600101*F~\n'
         % (member or 'HX%s' % n))
    s += 'CLM*H%s*%s***11:B:1*Y*A*Y*Y~\n' % (n, clm02 or charge)
    if claim_dtp:
        s += 'DTP*472*D8*%s~\n' % claim_dtp
    s += 'LX*1~\n'
    s += (sv1 or 'SV1*HC:%s*%s*UN*%s***1' % (code, charge, units)) + '~\n'
    if date:
        s += 'DTP*472*D8*%s~\n' % date
    return s


def i_claim(n, units):
    """837I claim: a CAR-T product line on revenue 0891, TOB 111, with
    the administration's ICD-10-PCS code (Yescarta) in HI."""
    return ('HL*{hl}*1*22*0~\nSBR*P*18*G******MA~\n'
            'NM1*IL*1*DOE*J****MI*HX%s~\nDMG*D8*19600101*F~\n'
            'CLM*H%s*100***11:A:1**A*Y*Y~\nDTP*434*RD8*20250601-20250601~\n'
            'HI*BBR:XW033H7:D8:20250601~\n'
            'LX*1~\nSV2*0891*HC:Q2041*100*UN*%s~\nDTP*472*D8*20250601~\n'
            % (n, n, units))


def interchange(claims, ctl='000000901', kind='P', se01=None, ge01='1',
                iea01='1', gs_date='20250601', isa_text=None):
    gs08 = '005010X222A1' if kind == 'P' else '005010X223A2'
    body = ('BHT*0019*00*B1*20250601*1200*CH~\nNM1*41*2*SUB*****46*S1~\n'
            'NM1*40*2*RCV*****46*R1~\nHL*1**20*1~\n'
            'NM1*85*2*PROV*****XX*1234567893~\n')
    for k, c in enumerate(claims):
        body += c.replace('{hl}', str(k + 2))
    n = body.count('~') + 2
    return ((isa_text or isa(ctl)) +
            'GS*HC*SUBMITTER*RECEIVER*%s*1200*1*X*%s~\n' % (gs_date, gs08) +
            'ST*837*0001*%s~\n' % gs08 + body +
            'SE*%s*0001~\n' % (n if se01 is None else se01) +
            'GE*%s*1~\nIEA*%s*%s~\n' % (ge01, iea01, ctl))


BASE = interchange([claim(0), claim(1), claim(2)])
assert len(isa()) == 107  # 106 and the newline after the terminator
put('base', BASE)
fact('BASE_LEN', len(BASE))
fact('BASE_SEGS', BASE.count('~'))
fact('O_sv1_h0', BASE.index('SV1*'))

# --- truncated files ---------------------------------------------------
o, n = where(BASE, 'SV1*', BASE.index('CLM*H1'))
put('trunc_mid_seg', BASE[:o + 9])  # ends with "SV1*HC:38"
fact('O_trunc_mid_seg', o)
fact('N_trunc_mid_seg', n)
o, n = where(BASE, 'SV1*', BASE.index('CLM*H1'))  # cut before SV1 of H1
put('trunc_in_claim', BASE[:o])
fact('O_trunc_in_claim', o)
fact('N_trunc_in_claim', n - 1)
o, n = where(BASE, 'GE*')
put('trunc_after_se', BASE[:o])
fact('O_trunc_after_se', o)
fact('N_trunc_after_se', n - 1)
z = gzip.compress(BASE.encode(), mtime=0)
put('trunc_gz', z[:len(z) // 2], '.837.gz')
fact('O_trunc_gz', len(z) // 2)
bad = bytearray(z)
bad[-8] ^= 0xff  # CRC-32 of the member
put('crc_gz', bytes(bad), '.837.gz')
fact('O_crc_gz', len(z) - 4)

# --- after the IEA -----------------------------------------------------
put('after_iea_text', BASE + 'THIS IS NOT X12 AT ALL\n')
put('after_iea_nul', BASE.encode() + b'\0' * 4096)
put('after_iea_dos_eof', BASE + '\x1a')
put('after_iea_seg', BASE + 'JUNK*1~\n')

# --- limits ------------------------------------------------------------
i = BASE.index('HL*3')  # inside claim H0, after its DTP
o, n = where(BASE, 'HL*3')
fact('O_limit', o)
fact('N_limit', n)
put('seg_10mb', BASE[:i] + 'NTE*ADD*' + 'X' * (10 << 20) + '~\n' + BASE[i:])
put('el_million', BASE[:i] + 'NTE' + '*' * 1000000 + '~\n' + BASE[i:])
put('el_300', BASE[:i] + 'NTE' + '*A' * 300 + '~\n' + BASE[i:])

# --- NUL bytes and wrong delimiters in the middle -----------------------
o, n = where(BASE, 'SV1*', BASE.index('CLM*H1'))
put('nul_code', BASE[:o] + 'SV1*HC:382' + '\0' * 64 + '28' +
    BASE[o + len('SV1*HC:38228'):])
fact('O_nul_code', o)
fact('N_nul_code', n)
fact('NUL_AT', o + len('SV1*HC:382'))
o, n = where(BASE, 'CLM*H1')
put('delim_clm', BASE.replace('CLM*H1*100***11:B:1*Y*A*Y*Y~',
                              'CLM|H1|100|||11:B:1|Y|A|Y|Y~'))
fact('O_delim_clm', o)
fact('N_delim_clm', n)
fact('O_delim_clm_lx', where(BASE, 'LX*', o)[0])
fact('O_delim_clm_sv1', where(BASE, 'SV1*', o)[0])
o, n = where(BASE, 'SV1*', BASE.index('CLM*H1'))
put('delim_sv1', BASE[:o] + 'SV1|HC>38228|100|UN|1|||1' +
    BASE[BASE.index('~', o):])
fact('O_delim_sv1', o)
fact('N_delim_sv1', n)
o, n = where(BASE, 'HL*3')
put('delim_term', BASE[:o] + BASE[o:].replace('~\n', '\n'))
fact('O_delim_term', o)
fact('N_delim_term', n)

# --- ISA -------------------------------------------------------------
short = isa(s06='SUBMITTER', s08='RECEIVER')
put('isa_short', short + BASE[len(isa()):])
fact('ISA_SHORT_LEN', len(short) - 1)
put('isa_cut', BASE[:105])
put('isa_15el', isa(isa11='') + BASE[len(isa()):])
fact('O_isa_15el', len(isa(isa11='')) + len('GS*'))

# --- envelope ----------------------------------------------------------
put('no_iea', BASE[:BASE.index('IEA*')])
fact('O_no_iea', BASE.index('IEA*'))
fact('N_no_iea', BASE.count('~') - 1)
inner = interchange([claim('Y0', member='HY0'), claim('Y1', member='HY1')],
                    ctl='000000902').replace('CLM*HY', 'CLM*Y')
nested = BASE[:BASE.index('HL*3')] + inner + BASE[BASE.index('HL*3'):]
put('nested_isa', nested)
# the first claim left outside any transaction set stops the reading
o, n = where(nested, 'CLM*', nested.index('IEA*1*000000902~\n'))
fact('O_nested_clm', o)
fact('N_nested_clm', n)
fact('ID_nested_clm', nested[o + 4:nested.index('*', o + 4)])
counts = interchange([claim(0), claim(1, units='3'), claim(2)], se01='X1',
                     ge01='X1', iea01='X1')
put('counts_x1', counts)
for tag, key in (('SE*', 'se'), ('GE*', 'ge'), ('IEA*', 'iea')):
    o, n = where(counts, tag)
    fact('O_counts_%s' % key, o)
    fact('N_counts_%s' % key, n)
fact('SEGS_ST_SE', counts[counts.index('ST*'):counts.index('GE*')].count('~'))

# --- dates -------------------------------------------------------------
d = BASE.replace('DTP*472*D8*20250601~\nHL*4', 'DTP*472*D8*20250230~\nHL*4')
put('date_dtp', d)
o, n = where(d, 'DTP*472*D8*20250230')
fact('O_date_dtp', o)
fact('N_date_dtp', n)
put('date_isa', isa(date='250230') + BASE[len(isa()):])
put('date_gs', BASE.replace('*20250601*1200*1*X*', '*20250230*1200*1*X*'))
fact('O_gs', len(isa()))
d = interchange([claim(0), claim(1, claim_dtp='20250230', date=None),
                 claim(2)])
put('date_clm', d)
o, n = where(d, 'DTP*472*D8*20250230')
fact('O_date_clm', o)
fact('N_date_clm', n)

# --- units -------------------------------------------------------------
UNITS = ['1e9999', '-1', '1e3', '0x10', 'NaN', 'Inf', '9' * 40, '0', '']
for kind, name in (('P', 'units_sv104'), ('I', 'units_sv205')):
    mk = claim if kind == 'P' else i_claim
    text = interchange([mk(0, '1')] + [mk('%02d' % (k + 1), u)
                                       for k, u in enumerate(UNITS)],
                       kind=kind)
    put(name, text)
    for k in range(len(UNITS)):
        o, n = where(text, 'SV' if kind == 'P' else 'SV2',
                     text.index('CLM*H%02d' % (k + 1)))
        fact('O_%s_%d' % (name, k + 1), o)
        fact('N_%s_%d' % (name, k + 1), n)

# --- other hostile values ------------------------------------------------
put('bom_only', b'\xef\xbb\xbf')
put('clm02_nan', interchange([claim(0), claim(1, units='3', clm02='NaN'),
                              claim(2)]))
split = interchange([claim(0), claim(1, charge='NaN', clm02='100', units='2',
                                    date=None) +
                      'DTP*472*RD8*20250601-20250602~\n', claim(2)])
put('split_nan', split)
o, n = where(split, 'SV1*', split.index('CLM*H1'))
fact('O_split_nan', o)
fact('N_split_nan', n)

# --- for the I/O faults ------------------------------------------------
# a file of 2000 claims without CAR-T lines (no report rows), larger than
# two read chunks, then a second interchange with three CAR-T claims
big = interchange([claim('%04d' % k, code='99213', member='HB%d' % k)
                   for k in range(2000)], ctl='000000903')
tail = interchange([claim(7), claim(8), claim(9)], ctl='000000904')
put('big', big + tail)
fact('BIG_FIRST', len(big))
fact('BIG_LEN', len(big) + len(tail))

with open(os.path.join(OUT, 'facts'), 'w') as f:
    f.write('\n'.join(FACTS) + '\n')
