# Third draw of the White House remarks silver set: 640 more sentences, none of the
# first two draws, 25% at random and 75% with a keyword, at most 24 from a document in
# all; batches 12-13 are check, 14-19 tune; 5 hidden tune-half gold lines in each.
import json, random, re
exec(open('sample.py').read().split('N=240')[0])
seen=set()
for k in range(12):
    for l in open('in_%d.jsonl'%k):
        r=json.loads(l)
        if r['id'].startswith('r'): seen.add((r['doc'],r['sentence']))
random.seed(202612073)
per={}
for d,i in seen: per[d]=per.get(d,0)+1
pa=[x for x in pool_any if (x[0],x[1]) not in seen]; pk=[x for x in pool_kw if (x[0],x[1]) not in seen]
out=[];pick=set();nr=nk=0
for israndom,item in [(True,x) for x in random.sample(pa,600)]+[(False,x) for x in random.sample(pk,len(pk))]:
    if israndom and nr>=160: continue
    if not israndom and nk>=480: continue
    if (item[0],item[1]) in pick or per.get(item[0],0)>=24: continue
    pick.add((item[0],item[1])); per[item[0]]=per.get(item[0],0)+1; out.append(item)
    if israndom: nr+=1
    else: nk+=1
print(len(out),'drawn',nr,'random',nk,'keyword')
random.shuffle(out)
used=set(json.load(open('example_ids.json')))|set(json.load(open('calib_ids.json')))|set(json.load(open('calib2_ids.json')))
tune=[r for r in gold if fnv(r['doc'])%2==0 and r['id'] not in used]
random.shuffle(tune)
cal3=tune[:40]
json.dump([r['id'] for r in cal3], open('calib3_ids.json','w'))
for b in range(8):
    k=12+b
    rows=[{'id':'r%05d'%(k*1000+j),'doc':d,'sentence':i,'text':s} for j,(d,i,s) in enumerate(out[b*80:(b+1)*80])]
    rows+=[{'id':'c'+r['id'],'doc':r['doc'],'sentence':r.get('sentence',0),'text':r['text']} for r in cal3[b*5:(b+1)*5]]
    random.shuffle(rows)
    with open('in_%d.jsonl'%k,'w') as fh:
        for r in rows: fh.write(json.dumps(r,ensure_ascii=False)+'\n')
print('ok', len(tune))
