Rada města v úterý večer schválila nový rozpočet.
Na hlavním náměstí se sešly stovky lidí, aby oslavily výročí.
Muzeum bude kvůli renovaci zavřené do konce roku.
Vědci v horách objevili nový druh žáby.
Vlak z Prahy do Vídně byl kvůli sněhu zpožděn o dvě hodiny.
Naše školní knihovna na jaře získala přes tisíc nových knih.
Vláda chce domácnostem snížit cenu elektřiny.
Babička pěstuje na své zahradě rajčata, brambory a fazole.
Fotbalový tým vyhrál šampionát potřetí v řadě.
Lékaři doporučují pít v horkých letních dnech dost vody.
Most přes řeku opraví příští měsíc.
Hodně mladých lidí hledá levnější byty na okraji města.
Koncert se zrušil, protože zpěvačka onemocněla.
Farmáři mají obavy z dlouhého letního sucha.
Nová nemocnice bude mít tři sta postelí a moderní laboratoř.
Turisté o víkendu často chodí na hrad a do starého města.
Společnost plánuje do konce března zaměstnat padesát nových lidí.
Děti se každý čtvrtek učí plavat na městském koupališti.
Policie hledá svědky včerejší dopravní nehody.
Cena chleba minulý týden znovu stoupla.
Spisovatelka na knižním veletrhu představila svůj nový román.
Prudký déšť způsobil záplavy v několika vesnicích na severu.
Ministr uvedl, že reforma začne v příštím roce.
Studenti protestovali proti vyšším poplatkům za kolej.
Zoologická zahrada dnes ráno přivítala malého slona.
Nová linka tramvaje spojuje centrum s letištěm.
Dobrovolníci zasadili dvě stě stromů podél břehu řeky.
Divadlo chystá novou inscenaci staré komedie.
Mnoho lidí pracuje z domu nejméně dva dny týdně.
Festival láká každé léto návštěvníky z celé Evropy.
