# Draws the White House remarks silver set (docs/silver/README.md, "White House remarks").
import json, glob, os, random, re
random.seed(20261207)
ROOT='/work/shared/corpora/whitehouse/statements-releases'
gold=[json.loads(l) for l in open('/work/shared/gold/dimensions.wh.dev.jsonl')]
golddocs=set(r['doc'] for r in gold)
def fnv(s):
    h=2166136261
    for c in s.encode():
        h^=c; h=(h*16777619)&0xffffffff
    return h
files=[]
for f in sorted(glob.glob(ROOT+'/*/*.md')):
    rel='statements-releases/'+os.path.relpath(f,ROOT)
    if rel in golddocs: continue
    head=open(f,encoding='utf-8',errors='replace').read(3000)
    m=re.search(r'^title:(.*?)(?=^\w+:|^---)',head,re.M|re.S)
    if m and re.search(r'remarks',m.group(1),re.I): files.append((f,rel))
print(len(files),'remarks documents')
kw=re.compile(r'\b(conflict|war|wars|peace|peaceful|force|confront\w*|cold war|bloc|zero-sum|respect|sovereign\w*|interfer\w*|equal\w*|win-win|mutual|benefit|partner\w*|dialogue|talks|talk|visit\w*|consult\w*|trust|interests?|concerns|compromise|united nations|council|charter|multilateral\w*|treaty|treaties|convention|agreement|governance|reform|organization|union|nato|g7|g20|trade|invest\w*|exchange\w*|tourism|cultur\w*|crisis|crises|mediat\w*|negotiat\w*|ceasefire|settlement|climate|pandemic|covid\w*|energy|health|environment\w*|nuclear|weapons|technolog\w*|digital|cyber\w*|internet|artificial intelligence|china|russia|ukraine|allies|alliance|competition|compete|order|stability|world|global|international)\b', re.I)
def body(t):
    if t.startswith('---'):
        e=t.find('\n---',3)
        if e>0: t=t[e+4:]
    return t
def sents(text):
    out=[]
    for para in re.split(r'\n\s*\n', body(text)):
        para=re.sub(r'\s+',' ',para).strip()
        if not para or para.startswith('#'): continue
        for s in re.split(r'(?<=[.!?])\s+(?=[A-Z"“‘(])', para):
            s=s.strip()
            if 40 <= len(s) <= 600 and re.search(r'[a-z]', s) and not s.startswith('*'): out.append(s)
    return out
pool_kw=[];pool_any=[]
for f,rel in files:
    t=open(f,encoding='utf-8',errors='replace').read()
    for i,s in enumerate(sents(t)):
        item=(rel,i,s)
        pool_any.append(item)
        if kw.search(s): pool_kw.append(item)
print(len(pool_any),len(pool_kw))
N=240
per={}
out=[];pick=set()
cand=random.sample(pool_any, 200)+random.sample(pool_kw, 400)
# 40% at random, 60% with a keyword, at most 6 sentences from one document
nr=0;nk=0
for j,item in enumerate(cand):
    israndom=j<200
    if israndom and nr>=int(N*0.4): continue
    if not israndom and nk>=N-int(N*0.4): continue
    if (item[0],item[1]) in pick or per.get(item[0],0)>=6: continue
    pick.add((item[0],item[1])); per[item[0]]=per.get(item[0],0)+1; out.append(item)
    if israndom: nr+=1
    else: nk+=1
    if len(out)>=N: break
print(len(out),'drawn',nr,'random',nk,'keyword',len(per),'documents')
random.shuffle(out)
tune=[r for r in gold if fnv(r['doc'])%2==0]
random.shuffle(tune)
examples=tune[:24]; cal=tune[24:54]
json.dump([r['id'] for r in examples], open('/work/silver-wh/example_ids.json','w'))
json.dump([r['id'] for r in cal], open('/work/silver-wh/calib_ids.json','w'))
with open('/work/silver-wh/examples.md','w') as fh:
    fh.write('# Worked examples: White House sentences labelled by the project\'s own readers\n\n')
    for r in examples:
        fh.write('- %s\n  labels: %s\n\n'%(r['text'].replace('\n',' '), ', '.join(r['labels']) or 'nothing'))
# batch 0 = check (ids r0...), batches 1,2 = tune (r1..., r2...)
for k in range(3):
    rows=[{'id':'r%04d'%(k*1000+j),'doc':d,'sentence':i,'text':s} for j,(d,i,s) in enumerate(out[k*80:(k+1)*80])]
    rows+=[{'id':'c'+r['id'],'doc':r['doc'],'sentence':r.get('sentence',0),'text':r['text']} for r in cal[k*10:(k+1)*10]]
    random.shuffle(rows)
    with open('/work/silver-wh/in_%d.jsonl'%k,'w') as fh:
        for r in rows: fh.write(json.dumps(r,ensure_ascii=False)+'\n')
import shutil; shutil.copy('/work/silver-wh/in_0.jsonl','/work/silver-wh/in_3.jsonl')
print('ok')
