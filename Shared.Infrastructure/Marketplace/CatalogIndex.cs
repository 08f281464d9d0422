using Shared.Domain.Marketplace;

namespace Shared.Infrastructure.Marketplace;

/// <summary>
/// One tenant's listed items (published, not deleted) in memory, answering an <see cref="ItemSearch"/> exactly as the
/// stores' queries do: every pattern of <see cref="SearchText.Patterns"/> (" w " a whole word, " p" a word prefix) among
/// the words of title and description, the relevance group by the title's words, the filters, the creation bound, and
/// the order (key, id) descending from the cursor. Words map to the slots of the items that carry them (in the text, and
/// in the title); a search ORs the slots of every word a pattern matches into a bit set per pattern, ANDs those, then
/// walks the order's sorted list from the cursor testing each entry's bit and filters until the page is full.
/// Changes come as whole items (<see cref="Apply"/>): an item that is no longer listed leaves, any other takes its new
/// state, so applying the same state twice changes nothing. Readers share a lock; a change takes it alone.
/// </summary>
internal sealed class CatalogIndex : IDisposable
{
    private static readonly ItemSort[] Orders = [ItemSort.Relevance, ItemSort.Installs, ItemSort.Newest];

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<string, Entry> _byId = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _vocabulary = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Posting> _postings = new(StringComparer.Ordinal);

    /// <summary>Per order (relevance and rating share the score): the entries by (key, id) descending.</summary>
    private readonly List<Entry>[] _orders = [[], [], []];

    private readonly Stack<int> _freeSlots = new();
    private int _slotCount;

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
        // Tokenizing happens before the lock: readers wait only for the list and posting changes.
        var list = items.ToList();
        var prepared = list.Select(item => item.IsListed ? Entry.Of(item) : null).ToList();
        var ids = list.Select(item => item.Id).ToList();
        _lock.EnterWriteLock();
        try
        {
            for (var i = 0; i < ids.Count; i++)
            {
                if (_byId.TryGetValue(ids[i], out var old))
                {
                    if (prepared[i] is { } replacement && replacement.SameWords(old))
                    {
                        Replace(old, replacement);
                        continue;
                    }

                    Remove(old);
                }

                if (prepared[i] is { } added)
                {
                    Add(added);
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
        try
        {
            ulong[]? text = null;
            ulong[]? title = null;
            foreach (var pattern in search.Patterns)
            {
                var (inText, inTitle) = Slots(pattern, search.InTitle is not null);
                text = And(text, inText);
                title = inTitle is null ? null : And(title, inTitle);
            }

            var order = _orders[OrderOf(search.Sort)];
            var sort = search.Sort;
            var start = 0;
            if (search.AfterKey is { } afterKey && search.AfterId is { } afterId)
            {
                start = FirstAfter(order, sort, afterKey, afterId);
            }

            var found = new List<MarketplaceItem>(Math.Min(search.Limit, 128));
            for (var i = start; i < order.Count && found.Count < search.Limit; i++)
            {
                var entry = order[i];
                if ((text is not null && !Has(text, entry.Slot))
                    || (search.InTitle is { } wanted && title is not null && Has(title, entry.Slot) != wanted)
                    || !entry.Passes(search))
                {
                    continue;
                }

                found.Add(entry.Item);
            }

            return found;
        }
        finally
        {
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

    /// <summary>The slots carrying a word the pattern matches (text; title when asked), as bit sets.</summary>
    private (ulong[] Text, ulong[]? Title) Slots(string pattern, bool withTitle)
    {
        var text = new ulong[(_slotCount + 63) / 64];
        var title = withTitle ? new ulong[text.Length] : null;
        if (pattern.EndsWith(' '))
        {
            if (_postings.TryGetValue(pattern.Trim(), out var posting))
            {
                posting.MarkInto(text, title);
            }
        }
        else
        {
            // Every word that starts with the prefix: words hold letters and digits only, all below U+FFFF.
            var prefix = pattern.TrimStart();
            foreach (var word in _vocabulary.GetViewBetween(prefix, prefix + '\uffff'))
            {
                _postings[word].MarkInto(text, title);
            }
        }

        return (text, title);
    }

    private static ulong[] And(ulong[]? into, ulong[] other)
    {
        if (into is null)
        {
            return other;
        }

        for (var i = 0; i < into.Length; i++)
        {
            into[i] &= other[i];
        }

        return into;
    }

    private static bool Has(ulong[] bits, int slot) => (bits[slot >> 6] & (1UL << (slot & 63))) != 0;

    /// <summary>The position of the first entry that sorts after (key, id), i.e. below it in (key, id) descending.</summary>
    private static int FirstAfter(List<Entry> order, ItemSort sort, long key, string id)
    {
        int low = 0, high = order.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            var entry = order[middle];
            var entryKey = entry.Item.SortKey(sort);
            var before = entryKey > key || (entryKey == key && string.CompareOrdinal(entry.Item.Id, id) >= 0);
            if (before)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private void Add(Entry entry)
    {
        entry.Slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : _slotCount++;
        _byId[entry.Item.Id] = entry;
        foreach (var word in entry.Words)
        {
            if (!_postings.TryGetValue(word, out var posting))
            {
                _postings[word] = posting = new Posting();
                _vocabulary.Add(word);
            }

            posting.Text.Add(entry.Slot);
            if (entry.TitleWords.Contains(word))
            {
                posting.Title.Add(entry.Slot);
            }
        }

        for (var o = 0; o < Orders.Length; o++)
        {
            Insert(_orders[o], Orders[o], entry);
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

        for (var o = 0; o < Orders.Length; o++)
        {
            _orders[o].RemoveAt(Position(_orders[o], Orders[o], entry));
        }

        _freeSlots.Push(entry.Slot);
    }

    /// <summary>The same words in the same slot: only the item's state and its places in the orders change.</summary>
    private void Replace(Entry old, Entry replacement)
    {
        replacement.Slot = old.Slot;
        _byId[old.Item.Id] = replacement;
        for (var o = 0; o < Orders.Length; o++)
        {
            var order = _orders[o];
            var position = Position(order, Orders[o], old);
            if (old.Item.SortKey(Orders[o]) == replacement.Item.SortKey(Orders[o]))
            {
                order[position] = replacement;
            }
            else
            {
                order.RemoveAt(position);
                Insert(order, Orders[o], replacement);
            }
        }
    }

    private static void Insert(List<Entry> order, ItemSort sort, Entry entry) =>
        order.Insert(FirstAfter(order, sort, entry.Item.SortKey(sort), entry.Item.Id), entry);

    /// <summary>Where the entry is (it is there: ids are unique and the entry's key is the one it was placed by).</summary>
    private static int Position(List<Entry> order, ItemSort sort, Entry entry)
    {
        var position = FirstAfter(order, sort, entry.Item.SortKey(sort), entry.Item.Id) - 1;
        if (position < 0 || !ReferenceEquals(order[position], entry))
        {
            throw new InvalidOperationException($"The search index lost item {entry.Item.Id} from its {sort} order.");
        }

        return position;
    }

    private sealed class Posting
    {
        public HashSet<int> Text { get; } = [];

        public HashSet<int> Title { get; } = [];

        public void MarkInto(ulong[] text, ulong[]? title)
        {
            foreach (var slot in Text)
            {
                text[slot >> 6] |= 1UL << (slot & 63);
            }

            if (title is not null)
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
        private Entry(MarketplaceItem item, string[] words, HashSet<string> titleWords, string[] categories)
        {
            Item = item;
            Words = words;
            TitleWords = titleWords;
            Categories = categories;
        }

        public MarketplaceItem Item { get; }

        public string[] Words { get; }

        public HashSet<string> TitleWords { get; }

        public int Slot { get; set; }

        private string[] Categories { get; }

        public static Entry Of(MarketplaceItem item) => new(
            item,
            [.. SearchText.Words(item.Details.Title + " " + item.Details.Description).Distinct(StringComparer.Ordinal)],
            SearchText.Words(item.Details.Title).ToHashSet(StringComparer.Ordinal),
            [.. item.Details.Categories]);

        public bool SameWords(Entry other) =>
            Words.AsSpan().SequenceEqual(other.Words) && TitleWords.SetEquals(other.TitleWords);

        /// <summary>The filters and the creation bound (listing is implied: only listed items are entries).</summary>
        public bool Passes(ItemSearch search)
        {
            var details = Item.Details;
            var price = details.Price.MinorUnits;
            return Item.CreatedAt.ToUnixTimeMilliseconds() <= search.CreatedUpTo
                && (search.Kind is not { } kind || details.Kind == kind)
                && (search.MinPrice is not { } min || price >= min)
                && (search.MaxPrice is not { } max || price <= max)
                && (search.Free is not { } free || (price == 0) == free)
                && (search.Category is not { } category || Array.IndexOf(Categories, category) >= 0);
        }
    }
}
