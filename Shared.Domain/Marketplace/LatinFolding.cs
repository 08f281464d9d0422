namespace Shared.Domain.Marketplace;

/// <summary>
/// Latin letters with diacritics (U+00C0–U+024F) and their plain lower-case letters, generated from Unicode's
/// decompositions (plus ø, đ, ł, ð, ħ and a few others that do not decompose, and ß, æ, œ, þ, ĳ that become two
/// letters). The app runs with invariant globalization, where string.Normalize cannot decompose, so search folds
/// accents with this table; combining marks written separately are dropped by <see cref="SearchText"/>.
/// </summary>
internal static class LatinFolding
{
    private const string From =
        "ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝàáâãäåçèéêëìíîïðñòóôõöøùúûüýÿĀāĂ"
        + "ăĄąĆćĈĉĊċČčĎďĐđĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĦħĨĩĪīĬĭĮįİıĴĵĶķĸĹĺĻļĽľŁł"
        + "ŃńŅņŇňŊŋŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŦŧŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžſƠơ"
        + "ƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖ"
        + "ȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳ";

    private const string To =
        "aaaaaaceeeeiiiidnoooooouuuuyaaaaaaceeeeiiiidnoooooouuuuyyaaa"
        + "aaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiijjkkkllllllll"
        + "nnnnnnnnoooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzsoo"
        + "uuaaiioouuuuuuuuuuaaaaggkkoooojggnnaaaaaaeeeeiiiioooorrrruuu"
        + "usstthhaaeeooooooooyy";

    public static readonly IReadOnlyDictionary<char, string> Map = Build();

    private static Dictionary<char, string> Build()
    {
        var map = new Dictionary<char, string> { ['ß'] = "ss", ['æ'] = "ae", ['Æ'] = "ae", ['œ'] = "oe", ['Œ'] = "oe", ['þ'] = "th", ['Þ'] = "th", ['ĳ'] = "ij", ['Ĳ'] = "ij" };
        for (var i = 0; i < From.Length; i++)
        {
            map[From[i]] = To[i].ToString();
        }

        return map;
    }
}
