"""The lexicon trie: every word is reachable, used words are never offered again."""

from wotd_mlx.lm.trie import WordTrie

# token "spellings" by hand: 'cat' is a prefix of 'cats' and 'catalog'
SPELL = {"cat": [1], "cats": [1, 2], "catalog": [1, 3, 4], "dog": [5], "do": [6]}


def trie() -> WordTrie:
    return WordTrie(list(SPELL), lambda ws: [SPELL[w] for w in ws])


def test_walks_spell_each_word():
    t = trie()
    assert len(t) == 5
    for word, tokens in SPELL.items():
        c = t.cursor()
        for tok in tokens:
            assert tok in c.allowed()
            c.advance(tok)
        assert c.can_end() and t.words[c.finish(tokens)] == word


def test_used_words_are_pruned_without_dead_ends():
    t = trie()
    c = t.cursor()
    c.advance(1)
    assert c.can_end() and sorted(c.allowed()) == [2, 3]
    c.finish([1])  # "cat" used
    c.advance(1)
    assert not c.can_end() and sorted(c.allowed()) == [2, 3]
    c.advance(2)
    c.finish([1, 2])  # "cats"
    c.advance(1)
    c.advance(3)
    c.advance(4)
    c.finish([1, 3, 4])  # "catalog": nothing is left under token 1
    assert sorted(c.allowed()) == [5, 6]
    c.advance(5)
    c.finish([5])
    c.advance(6)
    c.finish([6])
    assert c.exhausted() and c.allowed() == []


def test_only_restricts_to_those_words():
    t = trie()
    words = list(SPELL)
    c = t.cursor(only=[words.index("cats"), words.index("dog")])
    assert sorted(c.allowed()) == [1, 5]  # nothing leads to "do" any more
    c.advance(1)
    assert not c.can_end() and c.allowed() == [2]  # "cat" and "catalog" are outside `only`
    c.advance(2)
    assert c.can_end() and t.words[c.finish([1, 2])] == "cats"
    c.advance(5)
    c.finish([5])
    assert c.exhausted()
    assert t.cursor().allowed() == [1, 5, 6]  # a fresh unrestricted cursor still sees everything
