using System.Buffers;
using System.Numerics;
using Shared.Domain.Marketplace;

namespace Shared.Infrastructure.Marketplace;

/// <summary>
/// One tenant's listed items (published, not deleted) in memory, answering an <see cref="ItemSearch"/> exactly as the
/// stores' queries do: every pattern of <see cref="SearchText.Patterns"/> (" w " a whole word, " p" a word prefix) among
/// the words of title and description, the relevance group by the title's words, the filters, the creation bound, and
/// the order (key, id) descending from the cursor.
/// <para>
/// Each item has a slot. Words map to the slots that carry them (in the text, and in the title); kinds, categories and
/// free items are bit sets over the slots. A search ANDs into one bit set the filters' sets and, per pattern, the OR of
/// the slots of every word it matches. Few candidates (at most <see cref="GatherMax"/>) are gathered and sorted; more
/// are found by walking the order's sorted slot list from the cursor, testing each slot's bit, until the page is full
/// (about page size × items ÷ candidates steps). Price range and creation bound are tested on the candidates.
/// </para>
/// Changes come as whole items (<see cref="Apply"/>): an item that is no longer listed leaves, any other takes its new
/// state, so applying the same state twice changes nothing. Readers share a lock; a change takes it alone.
/// </summary>
internal sealed class CatalogIndex : IDisposable
{
    /// <summary>Up to this many candidates are sorted; above it the order's list is walked.</summary>
    private const int GatherMax = 256;

    private static readonly ItemSort[] Orders = [ItemSort.Relevance, ItemSort.Installs, ItemSort.Newest];

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<string, Entry> _byId = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _vocabulary = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Posting> _postings = new(StringComparer.Ordinal);

    /// <summary>Per order (relevance and rating share the score): the slots by (key, id) descending.</summary>
    private readonly List<int>[] _orders = [[], [], []];

    private readonly Stack<int> _freeSlots = new();
    private readonly Dictionary<string, ulong[]> _categories = new(StringComparer.Ordinal);
    private readonly ulong[][] _kinds = new ulong[Enum.GetValues<ItemKind>().Length][];
    private Entry?[] _slots = new Entry?[64];
    private ulong[] _live = new ulong[1];
    private ulong[] _freeItems = new ulong[1];
    private int _slotCount;

    public CatalogIndex()
    {
        for (var k = 0; k < _kinds.Length; k++)
        {
            _kinds[k] = new ulong[1];
        }
    }

    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _byId.Count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>Takes each item's state: listed ones are added or replaced, others removed.</summary>
    public void Apply(IEnumerable<MarketplaceItem> items)
    {
        // Tokenizing happens before the lock: readers wait only for the list, bit and posting changes.
        var prepared = items.Select(item => (item.Id, Entry: item.IsListed ? Entry.Of(item) : null)).ToList();
        _lock.EnterWriteLock();
        try
        {
            foreach (var (id, entry) in prepared)
            {
                if (_byId.TryGetValue(id, out var old))
                {
                    if (entry is not null && entry.SameWords(old))
                    {
                        Replace(old, entry);
                        continue;
                    }

                    Remove(old);
                }

                if (entry is not null)
                {
                    Add(entry);
                }
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>The listed items matching <paramref name="search"/>, in its order, at most its limit.</summary>
    public List<MarketplaceItem> Find(ItemSearch search)
    {
        _lock.EnterReadLock();
        var length = _live.Length;
        var mask = ArrayPool<ulong>.Shared.Rent(length);
        var scratch = ArrayPool<ulong>.Shared.Rent(length);
        var title = search.InTitle is null ? null : ArrayPool<ulong>.Shared.Rent(length);
        var titleScratch = search.InTitle is null ? null : ArrayPool<ulong>.Shared.Rent(length);
        try
        {
            var bits = mask.AsSpan(0, length);
            _live.CopyTo(bits);
            if (search.Kind is { } kind)
            {
                And(bits, _kinds[(int)kind]);
            }

            if (search.Category is { } category)
            {
                if (!_categories.TryGetValue(category, out var inCategory))
                {
                    return [];
                }

                And(bits, inCategory);
            }

            if (search.Free is { } free)
            {
                if (free)
                {
                    And(bits, _freeItems);
                }
                else
                {
                    AndNot(bits, _freeItems);
                }
            }

            if (title is not null)
            {
                title.AsSpan(0, length).Fill(ulong.MaxValue);
            }

            foreach (var pattern in search.Patterns)
            {
                var text = scratch.AsSpan(0, length);
                text.Clear();
                var inTitle = titleScratch is null ? default : titleScratch.AsSpan(0, length);
                inTitle.Clear();
                foreach (var posting in Postings(pattern))
                {
                    posting.MarkInto(text, inTitle, titleScratch is not null);
                }

                And(bits, text);
                if (title is not null)
                {
                    And(title.AsSpan(0, length), inTitle);
                }
            }

            if (title is not null && search.Patterns.Count > 0)
            {
                // The relevance groups: every pattern in the title, or not every one.
                if (search.InTitle == true)
                {
                    And(bits, title.AsSpan(0, length));
                }
                else
                {
                    AndNot(bits, title.AsSpan(0, length));
                }
            }

            var order = OrderOf(search.Sort);
            var candidates = 0;
            foreach (var word in bits)
            {
                candidates += BitOperations.PopCount(word);
            }

            return candidates <= GatherMax ? Gather(bits, order, search) : Walk(bits, order, search);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(mask);
            ArrayPool<ulong>.Shared.Return(scratch);
            if (title is not null)
            {
                ArrayPool<ulong>.Shared.Return(title);
                ArrayPool<ulong>.Shared.Return(titleScratch!);
            }

            _lock.ExitReadLock();
        }
    }

    public void Dispose() => _lock.Dispose();

    private static int OrderOf(ItemSort sort) => sort switch
    {
        ItemSort.Installs => 1,
        ItemSort.Newest => 2,
        _ => 0,
    };

    /// <summary>Few candidates: those past the cursor that pass, sorted, the first page of them.</summary>
    private List<MarketplaceItem> Gather(ReadOnlySpan<ulong> bits, int order, ItemSearch search)
    {
        var found = new List<Entry>();
        for (var w = 0; w < bits.Length; w++)
        {
            for (var word = bits[w]; word != 0; word &= word - 1)
            {
                var entry = _slots[(w << 6) + BitOperations.TrailingZeroCount(word)]!;
                if (entry.Passes(search) && (search.AfterKey is not { } key || search.AfterId is not { } id || entry.IsAfter(order, key, id)))
                {
                    found.Add(entry);
                }
            }
        }

        found.Sort((a, b) => a.IsAfter(order, b.Keys[order], b.Item.Id) ? 1 : a == b ? 0 : -1);
        return [.. found.Take(search.Limit).Select(e => e.Item)];
    }

    /// <summary>Many candidates: the order's list from the cursor, each slot's bit tested, until the page is full.</summary>
    private List<MarketplaceItem> Walk(ReadOnlySpan<ulong> bits, int order, ItemSearch search)
    {
        var slots = _orders[order];
        var start = search.AfterKey is { } key && search.AfterId is { } id ? FirstAfter(slots, order, key, id) : 0;
        var found = new List<MarketplaceItem>(Math.Min(search.Limit, 128));
        for (var i = start; i < slots.Count && found.Count < search.Limit; i++)
        {
            var slot = slots[i];
            if ((bits[slot >> 6] & (1UL << (slot & 63))) != 0 && _slots[slot]!.Passes(search))
            {
                found.Add(_slots[slot]!.Item);
            }
        }

        return found;
    }

    /// <summary>The postings of the words a pattern matches: " w " the word, " p" every word starting with p.</summary>
    private IEnumerable<Posting> Postings(string pattern)
    {
        if (pattern.EndsWith(' '))
        {
            return _postings.TryGetValue(pattern.Trim(), out var posting) ? [posting] : [];
        }

        // Words hold letters and digits only, all below U+FFFF, so every word with the prefix sorts below prefix + U+FFFF.
        var prefix = pattern.TrimStart();
        return _vocabulary.GetViewBetween(prefix, prefix + '\uffff').Select(word => _postings[word]);
    }

    private static void And(Span<ulong> into, ReadOnlySpan<ulong> other)
    {
        for (var i = 0; i < into.Length; i++)
        {
            into[i] &= other[i];
        }
    }

    private static void AndNot(Span<ulong> into, ReadOnlySpan<ulong> other)
    {
        for (var i = 0; i < into.Length; i++)
        {
            into[i] &= ~other[i];
        }
    }

    /// <summary>The position of the first slot whose item sorts after (key, id), i.e. below it in (key, id) descending.</summary>
    private int FirstAfter(List<int> slots, int order, long key, string id)
    {
        int low = 0, high = slots.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_slots[slots[middle]]!.IsAfter(order, key, id))
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }

    private void Add(Entry entry)
    {
        var slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : _slotCount++;
        if (slot >= _slots.Length)
        {
            Grow();
        }

        entry.Slot = slot;
        _slots[slot] = entry;
        _byId[entry.Item.Id] = entry;
        foreach (var word in entry.Words)
        {
            if (!_postings.TryGetValue(word, out var posting))
            {
                _postings[word] = posting = new Posting();
                _vocabulary.Add(word);
            }

            posting.Text.Add(slot);
            if (entry.TitleWords.Contains(word))
            {
                posting.Title.Add(slot);
            }
        }

        Mark(entry, true);
        for (var o = 0; o < Orders.Length; o++)
        {
            _orders[o].Insert(FirstAfter(_orders[o], o, entry.Keys[o], entry.Item.Id), slot);
        }
    }

    private void Remove(Entry entry)
    {
        _byId.Remove(entry.Item.Id);
        foreach (var word in entry.Words)
        {
            var posting = _postings[word];
            posting.Text.Remove(entry.Slot);
            posting.Title.Remove(entry.Slot);
            if (posting.Text.Count == 0)
            {
                _postings.Remove(word);
                _vocabulary.Remove(word);
            }
        }

        Mark(entry, false);
        for (var o = 0; o < Orders.Length; o++)
        {
            _orders[o].RemoveAt(Position(o, entry));
        }

        _slots[entry.Slot] = null;
        _freeSlots.Push(entry.Slot);
    }

    /// <summary>The same words in the same slot: the item's state, its filter bits and its places in the orders change.</summary>
    private void Replace(Entry old, Entry replacement)
    {
        var slot = old.Slot;
        var positions = Enumerable.Range(0, Orders.Length).Select(o => Position(o, old)).ToArray();
        Mark(old, false);
        replacement.Slot = slot;
        _slots[slot] = replacement;
        _byId[old.Item.Id] = replacement;
        Mark(replacement, true);
        for (var o = 0; o < Orders.Length; o++)
        {
            if (old.Keys[o] != replacement.Keys[o])
            {
                _orders[o].RemoveAt(positions[o]);
                _orders[o].Insert(FirstAfter(_orders[o], o, replacement.Keys[o], replacement.Item.Id), slot);
            }
        }
    }

    /// <summary>Sets or clears the entry's slot in the live, kind, category and free sets.</summary>
    private void Mark(Entry entry, bool set)
    {
        Flip(_live, entry.Slot, set);
        Flip(_kinds[(int)entry.Item.Details.Kind], entry.Slot, set);
        if (entry.Price == 0)
        {
            Flip(_freeItems, entry.Slot, set);
        }

        foreach (var category in entry.Categories)
        {
            if (!_categories.TryGetValue(category, out var inCategory))
            {
                _categories[category] = inCategory = new ulong[_live.Length];
            }

            Flip(inCategory, entry.Slot, set);
        }
    }

    private static void Flip(ulong[] bits, int slot, bool set)
    {
        if (set)
        {
            bits[slot >> 6] |= 1UL << (slot & 63);
        }
        else
        {
            bits[slot >> 6] &= ~(1UL << (slot & 63));
        }
    }

    private void Grow()
    {
        Array.Resize(ref _slots, _slots.Length * 2);
        var words = _slots.Length / 64;
        Array.Resize(ref _live, words);
        Array.Resize(ref _freeItems, words);
        for (var k = 0; k < _kinds.Length; k++)
        {
            Array.Resize(ref _kinds[k], words);
        }

        foreach (var category in _categories.Keys.ToList())
        {
            var bits = _categories[category];
            Array.Resize(ref bits, words);
            _categories[category] = bits;
        }
    }

    /// <summary>Where the entry's slot is in the order (it is there: ids are unique and its key is the one it was placed by).</summary>
    private int Position(int order, Entry entry)
    {
        var position = FirstAfter(_orders[order], order, entry.Keys[order], entry.Item.Id) - 1;
        if (position < 0 || _orders[order][position] != entry.Slot)
        {
            throw new InvalidOperationException($"The search index lost item {entry.Item.Id} from its {Orders[order]} order.");
        }

        return position;
    }

    private sealed class Posting
    {
        public HashSet<int> Text { get; } = [];

        public HashSet<int> Title { get; } = [];

        public void MarkInto(Span<ulong> text, Span<ulong> title, bool withTitle)
        {
            foreach (var slot in Text)
            {
                text[slot >> 6] |= 1UL << (slot & 63);
            }

            if (withTitle)
            {
                foreach (var slot in Title)
                {
                    title[slot >> 6] |= 1UL << (slot & 63);
                }
            }
        }
    }

    private sealed class Entry
    {
        private readonly long _createdMs;

        private Entry(MarketplaceItem item, string[] words, HashSet<string> titleWords)
        {
            Item = item;
            Words = words;
            TitleWords = titleWords;
            Categories = [.. item.Details.Categories];
            Price = item.Details.Price.MinorUnits;
            _createdMs = item.CreatedAt.ToUnixTimeMilliseconds();
            Keys = [.. Orders.Select(item.SortKey)];
        }

        public MarketplaceItem Item { get; }

        public string[] Words { get; }

        public HashSet<string> TitleWords { get; }

        public string[] Categories { get; }

        public long Price { get; }

        /// <summary>The item's key in each order of <see cref="Orders"/>.</summary>
        public long[] Keys { get; }

        public int Slot { get; set; }

        public static Entry Of(MarketplaceItem item) => new(
            item,
            [.. SearchText.Words(item.Details.Title + " " + item.Details.Description).Distinct(StringComparer.Ordinal)],
            SearchText.Words(item.Details.Title).ToHashSet(StringComparer.Ordinal));

        public bool SameWords(Entry other) =>
            Words.AsSpan().SequenceEqual(other.Words) && TitleWords.SetEquals(other.TitleWords);

        /// <summary>The filters the bit sets do not hold: the price range and the creation bound.</summary>
        public bool Passes(ItemSearch search) =>
            _createdMs <= search.CreatedUpTo
            && (search.MinPrice is not { } min || Price >= min)
            && (search.MaxPrice is not { } max || Price <= max);

        /// <summary>Whether this item comes after (key, id) in the order: (key, id) descending.</summary>
        public bool IsAfter(int order, long key, string id) =>
            Keys[order] < key || (Keys[order] == key && string.CompareOrdinal(Item.Id, id) < 0);
    }
}
