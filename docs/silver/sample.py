import json, glob, os, random, re
random.seed(20261204)
gold=[json.loads(l) for l in open('/work/shared/gold/dimensions.dev.jsonl')]
golddocs=set(r['doc'] for r in gold)
files=[f for f in glob.glob('/work/shared/corpora/ungdc/Session*/*.txt') if os.path.basename(f) not in golddocs and re.match(r'^[A-Z]{3}_\d+_\d{4}\.txt$', os.path.basename(f))]
print(len(files))
kw=re.compile(r'\b(conflict|war|wars|peace|peaceful|force|confront\w*|cold war|bloc|zero-sum|respect|sovereign\w*|interfer\w*|equal\w*|win-win|mutual|benefit|partner\w*|common development|dialogue|talks|visit\w*|consult\w*|trust|interests?|concerns|compromise|united nations|council|assembly|charter|multilateral\w*|treaty|treaties|convention|agreement|governance|reform|organization|union|trade|invest\w*|exchange\w*|tourism|cultur\w*|connectivity|crisis|crises|mediat\w*|negotiat\w*|ceasefire|peacekeep\w*|settlement|de-escalat\w*|climate|pandemic|covid\w*|energy|health|environment\w*|nuclear|disarmament|weapons|proliferation|technolog\w*|digital|cyber\w*|internet|artificial intelligence|hegemon\w*|rivalry|domination|sanctions|arms race|order|stability|shared future|justice|just)\b', re.I)
def sents(text):
    out=[]
    for para in re.split(r'\n\s*\n', text):
        para=re.sub(r'\s+',' ',para).strip()
        if not para: continue
        for s in re.split(r'(?<=[.!?])\s+(?=[A-Z"“‘(])', para):
            s=s.strip()
            if 30 <= len(s) <= 600 and re.search(r'[a-z]', s): out.append(s)
    return out
pool_kw=[];pool_any=[]
for f in files:
    try: t=open(f,encoding='utf-8',errors='replace').read()
    except Exception: continue
    for i,s in enumerate(sents(t)):
        item=(os.path.basename(f),i,s)
        pool_any.append(item)
        if kw.search(s): pool_kw.append(item)
print(len(pool_any),len(pool_kw))
N=640
pick=set()
out=[]
for item in random.sample(pool_any, int(N*0.4)) + random.sample(pool_kw, int(N*0.7)):
    if (item[0],item[1]) in pick: continue
    pick.add((item[0],item[1])); out.append(item)
    if len(out)>=N: break
random.shuffle(out)
tune=[r for r in gold if re.search(r'_(2011|2014|2018|2022)\.txt$', r['doc'])]
random.shuffle(tune)
cal=tune[:100]
json.dump([r['id'] for r in cal], open('/work/silver/calib_ids.json','w'))
for k in range(4):
    rows=[{'id':'s%04d'%(k*1000+j),'doc':d,'sentence':i,'text':s} for j,(d,i,s) in enumerate(out[k*160:(k+1)*160])]
    rows+=[{'id':'c'+r['id'],'doc':r['doc'],'sentence':r['sentence'],'text':r['text']} for r in cal[k*25:(k+1)*25]]
    random.shuffle(rows)
    with open('/work/silver/batch_%d.jsonl'%k,'w') as fh:
        for r in rows: fh.write(json.dumps(r,ensure_ascii=False)+'\n')
print('ok')
