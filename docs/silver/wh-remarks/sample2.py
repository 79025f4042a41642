# Second draw of the White House remarks silver set: 480 more sentences, not those of
# the first draw (sample.py), 25% at random and 75% with a keyword, at most 14 from a
# document in all; batches 4-5 are check, 6-9 tune, 10-11 second readings of 4-5.
import json, random, re, shutil
exec(open('sample.py').read().split('N=240')[0])   # files, pool_any, pool_kw, sents, fnv, gold
first=set()
for k in range(3):
    for l in open('in_%d.jsonl'%k):
        r=json.loads(l)
        if r['id'].startswith('r'): first.add((r['doc'],r['sentence']))
random.seed(202612072)
per={}
for d,i in first: per[d]=per.get(d,0)+1
pa=[x for x in pool_any if (x[0],x[1]) not in first]; pk=[x for x in pool_kw if (x[0],x[1]) not in first]
out=[];pick=set();nr=nk=0
for israndom,item in [(True,x) for x in random.sample(pa,400)]+[(False,x) for x in random.sample(pk,1000)]:
    if israndom and nr>=120: continue
    if not israndom and nk>=360: continue
    if (item[0],item[1]) in pick or per.get(item[0],0)>=14: continue
    pick.add((item[0],item[1])); per[item[0]]=per.get(item[0],0)+1; out.append(item)
    if israndom: nr+=1
    else: nk+=1
print(len(out),'drawn',nr,'random',nk,'keyword')
random.shuffle(out)
used=set(json.load(open('example_ids.json')))|set(json.load(open('calib_ids.json')))
tune=[r for r in gold if fnv(r['doc'])%2==0 and r['id'] not in used]
random.shuffle(tune)
cal2=tune[:60]
json.dump([r['id'] for r in cal2], open('calib2_ids.json','w'))
for b in range(6):
    k=4+b
    rows=[{'id':'r%04d'%(k*1000+j),'doc':d,'sentence':i,'text':s} for j,(d,i,s) in enumerate(out[b*80:(b+1)*80])]
    rows+=[{'id':'c'+r['id'],'doc':r['doc'],'sentence':r.get('sentence',0),'text':r['text']} for r in cal2[b*10:(b+1)*10]]
    random.shuffle(rows)
    with open('in_%d.jsonl'%k,'w') as fh:
        for r in rows: fh.write(json.dumps(r,ensure_ascii=False)+'\n')
shutil.copy('in_4.jsonl','in_10.jsonl'); shutil.copy('in_5.jsonl','in_11.jsonl')
print('ok')
