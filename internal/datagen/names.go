package datagen

import (
	"fmt"
	"strings"

	"github.com/beian-dev/beian/internal/area"
)

// syllables are Hanyu Pinyin syllables of the kind Chinese site owners put
// in domains (zhongxin, huayun, tianyi...). Every one starts with a
// consonant and pinyin finals hold no consonant but a closing n or ng, so a
// run of them splits back into syllables one way only ("fangan" would be
// fan+gan or fang+an, but "an" is not in the list): distinct syllable
// triples are distinct labels, and no two sites share a domain.
var syllables = []string{
	"ba", "bai", "ban", "bang", "bao", "bei", "ben", "bi", "bian", "biao", "bin",
	"bo", "bu", "cai", "can", "cang", "cao", "ce", "chang", "chao", "chen", "cheng", "chi", "chong", "chu", "chuan", "chun",
	"ci", "cong", "cui", "cun", "da", "dai", "dan", "dang", "dao", "de", "deng", "di", "dian", "ding", "dong", "dou",
	"du", "duan", "dui", "duo", "fa", "fan", "fang", "fei", "fen", "feng", "fu", "gai", "gan",
	"gang", "gao", "ge", "gen", "geng", "gong", "gou", "gu", "guan", "guang", "gui", "guo", "hai", "han", "hang", "hao",
	"he", "hei", "heng", "hong", "hou", "hu", "hua", "huai", "huan", "huang", "hui", "hun", "huo", "ji", "jia", "jian",
	"jiang", "jiao", "jie", "jin", "jing", "jiu", "ju", "juan", "jun", "kai", "kan", "kang", "ke", "ken", "kong", "ku",
	"kuai", "kuan", "kun", "la", "lai", "lan", "lang", "lao", "le", "lei", "li", "lian", "liang", "lin", "ling", "liu",
	"long", "lu", "luo", "lv", "ma", "mai", "man", "mang", "mao", "mei", "men", "meng", "mi", "mian", "miao", "min",
	"ming", "mo", "mu", "na", "nan", "neng", "ni", "nian", "ning", "niu", "nong", "nuo", "pai", "pan", "pei",
	"peng", "pi", "pin", "ping", "pu", "qi", "qian", "qiang", "qiao", "qin", "qing", "qiu", "qu", "quan", "qun", "ran",
	"ren", "ri", "rong", "ru", "rui", "run", "sai", "san", "sen", "shan", "shang", "shao", "shen", "sheng", "shi", "shou",
	"shu", "shuang", "shui", "shun", "si", "song", "su", "sui", "sun", "ta", "tai", "tan", "tang", "tao", "teng", "tian",
	"ting", "tong", "tu", "tuan", "wan", "wang", "wei", "wen", "wo", "wu", "xi", "xia", "xian", "xiang", "xiao", "xie",
	"xin", "xing", "xiong", "xiu", "xu", "xuan", "xue", "xun", "ya", "yan", "yang", "yao", "ye", "yi", "yin", "ying",
	"yong", "you", "yu", "yuan", "yue", "yun", "zai", "zan", "zhang", "zhao", "zhe", "zhen", "zheng", "zhi", "zhong", "zhou",
}

// suffixes are what follows the brand in many real domains; the empty
// suffix is the most common.
var suffixes = []string{"", "", "", "", "", "", "keji", "net", "tech", "cloud", "shop", "online", "info", "edu", "group", "data"}

// tlds weighted roughly as Chinese sites use them: .com and .cn first.
var tlds = []string{
	"com", "com", "com", "com", "com", "com", "cn", "cn", "cn", "cn",
	"com.cn", "com.cn", "com.cn", "net", "net", "net.cn", "org.cn", "org", "top", "xyz",
	"cc", "vip", "info", "gov.cn", "edu.cn", "ltd", "shop", "site", "online", "tech", "ink", "ren",
}

// mix is splitmix64: a cheap, well-spread hash of a counter.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// nSyl is the number of syllables; labelSpace the number of three-syllable
// labels.
var (
	nSyl       = uint64(len(syllables))
	labelSpace = nSyl * nSyl * nSyl
)

// labelPerm scatters consecutive site indexes over the three-syllable
// labels: i ↦ (i·a + b) mod labelSpace is a bijection when a shares no
// factor with labelSpace, so labels stay unique while neighbouring sites get
// unrelated names.
func labelPerm(i, seed uint64) uint64 {
	a := mix(seed)%labelSpace | 1
	for gcd(a, labelSpace) != 1 {
		a += 2
	}
	b := mix(seed+1) % labelSpace
	return (i%labelSpace*a + b) % labelSpace
}

func gcd(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// domainOf is the primary domain of site i. Beyond labelSpace sites (about
// fifteen million) a number after the syllables keeps it unique, as in
// 51job or 360buy.
func domainOf(i int, seed uint64) string {
	u := uint64(i)
	p := labelPerm(u, seed)
	var b strings.Builder
	b.WriteString(syllables[p/(nSyl*nSyl)])
	b.WriteString(syllables[p/nSyl%nSyl])
	b.WriteString(syllables[p%nSyl])
	if hi := u / labelSpace; hi > 0 {
		fmt.Fprintf(&b, "%d", hi)
	}
	h := mix(u ^ seed<<32)
	// A suffix is a word, never a syllable run that could blur the label
	// (they all end the label and none begins with a syllable's final).
	b.WriteString(suffixes[h%uint64(len(suffixes))])
	b.WriteByte('.')
	b.WriteString(tlds[(h>>8)%uint64(len(tlds))])
	return b.String()
}

// Family and given names for the synthetic people and company names.
var (
	familyNames = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"}
	givenNames  = []string{"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞"}
	brandWords  = []string{"华信", "天一", "中云", "锐捷", "博远", "新程", "云帆", "星河", "智联", "恒达", "瑞丰", "鼎盛", "创想", "数码", "网联", "启航"}
	trades      = []string{"网络科技", "信息技术", "软件", "电子商务", "文化传媒", "数据服务", "教育科技", "云计算"}
	siteKinds   = []string{"官网", "商城", "论坛", "博客", "门户", "在线服务平台", "技术文档", "招聘网"}
)

func pick[T any](list []T, h uint64) T { return list[h%uint64(len(list))] }

func personName(h uint64) string {
	return pick(familyNames, h) + pick(givenNames, h>>8)
}

// areaPool is the county-level areas subjects are placed in: every current
// county of GB/T 2260, with the big filing provinces (Beijing, Shanghai,
// Guangdong, Zhejiang, Jiangsu) listed again so that they hold about half
// the subjects, as on the real platform.
var areaPool = func() []string {
	var all, busy []string
	for _, p := range area.Provinces() {
		for _, c := range area.Cities(p.Code) {
			for _, county := range area.Counties(c.Code) {
				if !area.IsCurrentCounty(county.Code) {
					continue
				}
				all = append(all, county.Code)
				switch p.Code[:2] {
				case "11", "31", "44", "33", "32":
					busy = append(busy, county.Code)
				}
			}
		}
	}
	out := append([]string{}, all...)
	for len(out) < 2*len(all) && len(busy) > 0 {
		out = append(out, busy...)
	}
	return out
}()
