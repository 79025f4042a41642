# Merges the readers' labels into docs/silver/silver.wh.*.jsonl and prints the
# calibration (hidden tune-half gold lines) and the two readers' agreement.
import json, sys
IDS={'non_conflict','non_confrontation','mutual_respect','win_win','communication','interest_coordination','institutions','exchanges','crisis_management','global_challenges','nuclear_deterrence','technology','confrontational_framing','cooperative_order'}
gold={}
for l in open('/work/shared/gold/dimensions.wh.dev.jsonl'):
    d=json.loads(l); gold[d['id']]=d
CHECK=[0,4,5,12,13]; SECOND={0:3,4:10,5:11,12:20,13:21}; TUNE=[1,2,6,7,8,9,14,15,16,17,18]
def prf(pairs):
    tp=fp=fn=0
    for a,b in pairs:
        tp+=len(a&b); fp+=len(a-b); fn+=len(b-a)
    P=tp/max(1,tp+fp); R=tp/max(1,tp+fn); return P,R,2*P*R/max(1e-9,P+R),tp,fp,fn
outs={}
for k in CHECK+TUNE+list(SECOND.values()):
    ins=[json.loads(l) for l in open('in_%d.jsonl'%k)]
    out=[json.loads(l) for l in open('out_%d.jsonl'%k)]
    assert [i['id'] for i in ins]==[o['id'] for o in out], k
    for o in out: assert set(o['labels'])<=IDS, (k,o)
    outs[k]=[(i,set(o['labels'])) for i,o in zip(ins,out)]
cal=[(l,set(gold[i['id'][1:]]['labels'])) for k in CHECK+TUNE for i,l in outs[k] if i['id'].startswith('c')]
print('calibration, first readers vs gold (%d lines): P %.3f R %.3f F1 %.3f tp %d fp %d fn %d'%((len(cal),)+prf(cal)))
cal2=[(l,set(gold[i['id'][1:]]['labels'])) for k in SECOND.values() for i,l in outs[k] if i['id'].startswith('c')]
print('calibration, second readers vs gold (%d lines): P %.3f R %.3f F1 %.3f tp %d fp %d fn %d'%((len(cal2),)+prf(cal2)))
ag=[]
for a,b in SECOND.items():
    la={i['id']:l for i,l in outs[a]}
    ag+=[(l,la[i['id']]) for i,l in outs[b] if i['id'].startswith('r')]
print('check, second vs first reader (%d): P %.3f R %.3f F1 %.3f tp %d fp %d fn %d'%((len(ag),)+prf(ag)))
def rows(ks, prefix, second=False):
    out=[]
    for k in ks:
        src=SECOND[k] if second else k
        for i,l in outs[src]:
            if i['id'].startswith('r'): out.append((k,i['id'],{'doc':i['doc'],'sentence':i['sentence'],'text':i['text'],'labels':sorted(l)}))
    out.sort(key=lambda r:(r[0],r[1]))
    res=[]
    for n,(k,rid,r) in enumerate(out):
        res.append(dict({'id':'%s%04d'%(prefix,n+1)},**r))
    return res
def write(path, rs):
    with open(path,'w') as fh:
        for r in rs: fh.write(json.dumps(r,ensure_ascii=False)+'\n')
    print(path,len(rs),'sentences',sum(len(r['labels']) for r in rs),'labels',sum(1 for r in rs if r['labels']),'with a label')
write('/work/main/docs/silver/silver.wh.check.jsonl', rows(CHECK,'wc'))
write('/work/main/docs/silver/silver.wh.check.second-reader.jsonl', rows(CHECK,'wc',True))
write('/work/main/docs/silver/silver.wh.tune.jsonl', rows(TUNE,'wt'))
