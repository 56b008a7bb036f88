// The Go MinHash-LSH peer of `npm run bench:cluster`: reads cluster input lines (JSON Lines with id, title, text),
// hashes each article's lower-cased word 2-shingles into a 64-slot MinHash signature (dgryski/go-minhash through
// ekzhu/minhash-lsh), indexes the signatures in an LSH with Jaccard threshold 0.5, and joins every pair the LSH
// returns with union-find. Writes one {"id","story"} line per input line, in input order. Built by the bench from
// Debian's golang-github-ekzhu-minhash-lsh-dev and golang-github-dgryski-go-minhash-dev (GOPATH mode).
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	minhashlsh "github.com/ekzhu/minhash-lsh"
)

type line struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Text  string `json:"text"`
}

func find(p []int, i int) int {
	for p[i] != i {
		p[i] = p[p[i]]
		i = p[i]
	}
	return i
}

func main() {
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	lsh := minhashlsh.NewMinhashLSH64(64, 0.5)
	var ids []string
	var sigs [][]uint64
	for sc.Scan() {
		var l line
		if json.Unmarshal(sc.Bytes(), &l) != nil {
			continue
		}
		words := strings.Fields(strings.ToLower(l.Title + " " + l.Text))
		mh := minhashlsh.NewMinhash(1, 64)
		for i := 0; i+1 < len(words); i++ {
			mh.Push([]byte(words[i] + " " + words[i+1]))
		}
		sig := mh.Signature()
		lsh.Add(len(ids), sig)
		ids = append(ids, l.ID)
		sigs = append(sigs, sig)
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	lsh.Index()
	p := make([]int, len(ids))
	for i := range p {
		p[i] = i
	}
	for i, sig := range sigs {
		for _, k := range lsh.Query(sig) {
			a, b := find(p, i), find(p, k.(int))
			if a != b {
				p[a] = b
			}
		}
	}
	w := bufio.NewWriter(os.Stdout)
	for i, id := range ids {
		fmt.Fprintf(w, "{\"id\":%q,\"story\":%d}\n", id, find(p, i))
	}
	w.Flush()
}
